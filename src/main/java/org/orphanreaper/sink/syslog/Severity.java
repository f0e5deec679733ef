package org.orphanreaper.sink.syslog;

/** The two syslog severities the reaper uses, with their numbers from {@code <syslog.h>}. */
enum Severity {
  ERR(3),
  NOTICE(5);

  private final int code;

  Severity(int code) {
    this.code = code;
  }

  int code() {
    return code;
  }

  /** The name syslog.conf and logger(1) use: {@code err}, {@code notice}. */
  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
