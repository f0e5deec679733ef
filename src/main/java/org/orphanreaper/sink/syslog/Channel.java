package org.orphanreaper.sink.syslog;

/**
 * One way lines reach a syslog daemon: the local socket (ours, or logger(1)'s) or a central log
 * host. Log4j is behind the last one only, so a run that logs locally never starts it.
 */
interface Channel extends AutoCloseable {

  /**
   * Sends one line now; {@link Delivery} calls it one line at a time.
   *
   * @param line a single line, already folded and bounded ({@link SingleLine})
   * @throws Undelivered with why the line did not get through
   */
  void send(Severity severity, String line) throws Undelivered;

  /** Releases what sending holds (a socket, Log4j's configuration). */
  @Override
  void close();
}
