package org.orphanreaper.sink.syslog;

import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.status.StatusLogger;
import org.orphanreaper.sink.syslog.SyslogSettings;

/** The central log host through a private, started Log4j context: RFC 5424 over UDP or TCP. */
final class Log4jRemote implements Channel {

  // Enough to close sockets; all records were flushed when they were logged.
  private static final long STOP_TIMEOUT_MILLIS = 1000;

  private final SyslogConfiguration configuration;
  private final Logger logger;
  private final String unreachable;

  private Log4jRemote(SyslogConfiguration configuration, Logger logger, String unreachable) {
    this.configuration = configuration;
    this.logger = logger;
    this.unreachable = unreachable;
  }

  /**
   * Starts a private LoggerContext with the Syslog appender to {@code remote}.
   *
   * @throws Undelivered with {@code unreachable} when Log4j could not make the appender
   */
  static Log4jRemote start(SyslogSettings.Remote remote, String ident, Facility facility,
      String unreachable) throws Undelivered {
    silenceLog4jStatus();
    LoggerContext context = new LoggerContext("orphan-reaper-syslog");
    SyslogConfiguration configuration = new SyslogConfiguration(context, remote, ident, facility);
    context.start(configuration);
    Log4jRemote channel = new Log4jRemote(configuration,
        context.getLogger(SyslogConfiguration.REMOTE_LOGGER), unreachable);
    if (!configuration.routed()) {
      channel.close();
      throw new Undelivered(unreachable);
    }
    return channel;
  }

  @Override
  public void send(Severity severity, String line) throws Undelivered {
    try {
      // SimpleMessage: a line with "{}" in it is text, not a format.
      Message message = new SimpleMessage(line);
      logger.log(level(severity), message);
    } catch (RuntimeException e) {
      // Log4j's AppenderLoggingException says no more than that the host was not reached.
      throw new Undelivered(unreachable);
    }
  }

  /**
   * Stops the appender, closing its socket. Only the configuration is stopped: stopping the
   * LoggerContext would start Log4j's global LogManager (and its shutdown hook) just to deregister
   * a context it never knew.
   */
  @Override
  public void close() {
    try {
      configuration.stop(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // Closing sockets cannot lose a record that was already sent; nothing to report.
    }
  }

  /** Log4j has no notice level: notice is logged at INFO, err at ERROR. */
  static Level level(Severity severity) {
    return severity == Severity.ERR ? Level.ERROR : Level.INFO;
  }

  /** The severity of an event logged at {@code level}: ERROR and above are err. */
  static Severity severity(Level level) {
    return level.isMoreSpecificThan(Level.ERROR) ? Severity.ERR : Severity.NOTICE;
  }

  /**
   * Log4j reports its own trouble (a refused TCP connection, with stack trace) on stderr, which
   * cron would mail; every such failure is counted and reported by deliveryProblem() instead.
   */
  private static void silenceLog4jStatus() {
    StatusLogger.getLogger().getFallbackListener().setLevel(Level.OFF);
  }
}
