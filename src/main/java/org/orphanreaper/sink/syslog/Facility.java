package org.orphanreaper.sink.syslog;

import java.util.Locale;

/** A syslog facility with its number from {@code <syslog.h>}. */
public enum Facility {
  KERN(0),
  USER(1),
  MAIL(2),
  DAEMON(3),
  AUTH(4),
  SYSLOG(5),
  LPR(6),
  NEWS(7),
  UUCP(8),
  CRON(9),
  AUTHPRIV(10),
  FTP(11),
  LOCAL0(16),
  LOCAL1(17),
  LOCAL2(18),
  LOCAL3(19),
  LOCAL4(20),
  LOCAL5(21),
  LOCAL6(22),
  LOCAL7(23);

  private final int code;

  Facility(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The PRI field of a message of this facility: facility * 8 + severity. */
  int priority(Severity severity) {
    return code * 8 + severity.code();
  }

  /** The lower-case name syslog.conf and logger(1) use, e.g. {@code local3}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a facility name as syslog.conf spells it ({@code daemon}, {@code local3}); case is
   * ignored.
   *
   * @throws IllegalArgumentException for any other name, with a one-line message
   */
  public static Facility parse(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Facility f : values()) {
      if (f.label().equals(wanted)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown syslog facility '"
            + name
            + "'; expected one of kern, user, mail, daemon, auth, syslog, lpr, news, uucp,"
            + " cron, authpriv, ftp, local0..local7");
  }
}
