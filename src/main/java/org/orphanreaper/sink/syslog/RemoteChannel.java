package org.orphanreaper.sink.syslog;

import org.orphanreaper.sink.syslog.SyslogSettings;

/**
 * The central log host, reached through Log4j's Syslog appender ({@link Log4jRemote}), which
 * this starts only when the first line is sent: starting Log4j costs a run 100-400 ms, and a run
 * that logs to the local socket alone never pays it. This class names no Log4j type, so making
 * one loads none.
 */
final class RemoteChannel implements Channel {

  private final SyslogSettings.Remote remote;
  private final String ident;
  private final Facility facility;
  private final String unreachable;
  private Channel started;
  private boolean failed;

  /**
   * @param unreachable why every line is lost when Log4j cannot make the appender
   */
  RemoteChannel(SyslogSettings.Remote remote, String ident, Facility facility,
      String unreachable) {
    this.remote = remote;
    this.ident = ident;
    this.facility = facility;
    this.unreachable = unreachable;
  }

  @Override
  public void send(Severity severity, String line) throws Undelivered {
    if (started == null) {
      start();
    }
    started.send(severity, line);
  }

  @Override
  public void close() {
    if (started != null) {
      started.close();
    }
  }

  /** Tried once: a host that cannot be set up (an unknown name) loses every line alike. */
  private void start() throws Undelivered {
    if (failed) {
      throw new Undelivered(unreachable);
    }
    try {
      started = Log4jRemote.start(remote, ident, facility, unreachable);
    } catch (RuntimeException | LinkageError e) {
      failed = true;
      throw new Undelivered(unreachable);
    } catch (Undelivered e) {
      failed = true;
      throw e;
    }
  }
}
