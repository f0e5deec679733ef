package org.orphanreaper.report.syslog;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.status.StatusLogger;
import org.orphanreaper.nativestub.NativeStub;
import org.orphanreaper.report.EventLog;
import org.orphanreaper.report.SyslogSettings;

/** Opens the syslog {@link EventLog}: the local socket, plus a central log host if configured. */
public final class Syslog {

  private Syslog() {}

  /**
   * Starts a private Log4j context for these settings. Call it only when something must be logged:
   * it costs a few hundred milliseconds. A missing daemon or dead log host does not throw; it shows
   * in {@link EventLog#deliveryProblem()}. Close the result when done.
   *
   * <p>Loss is detected for the local socket and for TCP connections that cannot be made or break;
   * UDP gives no feedback, so records sent to a dead UDP host vanish unreported.
   *
   * @throws IllegalArgumentException if the facility name is unknown
   */
  public static EventLog open(SyslogSettings settings) {
    return open(settings, NativeStub.ofThisJvm());
  }

  /**
   * @param stub the native stub the local socket needs; without it the local messages go
   *     through logger(1)
   */
  static EventLog open(SyslogSettings settings, NativeStub stub) {
    Facility facility = Facility.parse(settings.facility());
    silenceLog4jStatus();
    LoggerContext context = new LoggerContext("orphan-reaper-syslog");
    SyslogConfiguration configuration =
        new SyslogConfiguration(context, settings, facility, stub);
    context.start(configuration);
    List<Delivery> deliveries =
        configuration.destinations().stream()
            .map(d -> new Delivery(d, context.getLogger(d.loggerName())))
            .collect(Collectors.toList());
    return new Log4jEventLog(configuration, deliveries);
  }

  /**
   * Log4j reports its own trouble (a refused TCP connection, with stack trace) on stderr, which
   * cron would mail; every such failure is counted and reported by deliveryProblem() instead.
   */
  private static void silenceLog4jStatus() {
    StatusLogger.getLogger().getFallbackListener().setLevel(Level.OFF);
  }
}
