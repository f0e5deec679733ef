package org.orphanreaper.sink.syslog;

import java.util.Optional;

/**
 * One record as the private rsyslogd wrote it (see {@link PrivateRsyslog#TEMPLATE}).
 *
 * @param input the rsyslog input module that received it: imuxsock, imudp or imtcp
 * @param facility e.g. {@code local3}
 * @param severity e.g. {@code notice}, {@code err}
 * @param programName the tag rsyslog parsed (ident of {@code ident[pid]:}, or RFC 5424 APP-NAME)
 * @param appName RFC 5424 APP-NAME, or what rsyslog derived for BSD records
 * @param message the message text without leading blanks
 */
record Received(
    String input,
    String facility,
    String severity,
    String programName,
    String appName,
    String message) {

  static Optional<Received> parse(String line) {
    String[] f = line.split("\\|", 6);
    if (f.length < 6) {
      return Optional.empty();
    }
    return Optional.of(new Received(f[0], f[1], f[2], f[3], f[4], f[5].stripLeading()));
  }
}
