package org.orphanreaper.report.syslog;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.orphanreaper.report.EventLog;

/** An {@link EventLog} that hands each line to every configured syslog destination. */
final class Log4jEventLog implements EventLog {

  private static final String PROGRAM = "orphan-reaper";
  // Enough to close sockets; all records were flushed when they were logged.
  private static final long STOP_TIMEOUT_MILLIS = 1000;

  private final AbstractConfiguration configuration;
  private final List<Delivery> deliveries;

  Log4jEventLog(AbstractConfiguration configuration, List<Delivery> deliveries) {
    this.configuration = configuration;
    this.deliveries = List.copyOf(deliveries);
  }

  @Override
  public void notice(String message) {
    send(Level.INFO, message);
  }

  @Override
  public void error(String message) {
    send(Level.ERROR, message);
  }

  @Override
  public Optional<String> deliveryProblem() {
    String problems =
        deliveries.stream()
            .map(Delivery::problem)
            .flatMap(Optional::stream)
            .collect(Collectors.joining("; "));
    // Folded because a reason can quote a native error message, which may span lines.
    return problems.isEmpty()
        ? Optional.empty()
        : Optional.of(SingleLine.of(PROGRAM + ": " + problems));
  }

  /**
   * Stops the appenders, closing their sockets. Only the configuration is stopped: stopping the
   * LoggerContext would start Log4j's global LogManager (and its shutdown hook) just to deregister
   * a context it never knew. Messages logged after close count as not delivered.
   */
  @Override
  public void close() {
    deliveries.forEach(Delivery::close);
    try {
      configuration.stop(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // Closing sockets cannot lose a record that was already sent; nothing to report.
    }
  }

  private void send(Level level, String message) {
    String line = SingleLine.of(message);
    for (Delivery delivery : deliveries) {
      delivery.send(level, line);
    }
  }
}
