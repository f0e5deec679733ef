package org.orphanreaper.sink.syslog;

/** A line did not reach its syslog daemon; the message is the reason for the one-line report. */
final class Undelivered extends Exception {

  Undelivered(String reason) {
    super(reason, null, false, false);
  }

  /** For example {@code no syslog daemon listens on /dev/log}. */
  String reason() {
    return getMessage();
  }
}
