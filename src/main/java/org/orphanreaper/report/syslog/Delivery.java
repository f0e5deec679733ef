package org.orphanreaper.report.syslog;

import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.appender.AppenderLoggingException;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;

/** Sends lines to one {@link Destination} and counts the ones that did not get through. */
final class Delivery {

  private final Destination destination;
  private final Logger logger;
  private int lost;
  private String reason;

  Delivery(Destination destination, Logger logger) {
    this.destination = destination;
    this.logger = logger;
    this.reason = destination.setupProblem().orElse(null);
  }

  /** Logs one line; never throws. */
  synchronized void send(Level level, String line) {
    if (destination.setupProblem().isPresent()) {
      lost++;
      return;
    }
    try {
      // SimpleMessage: a line with "{}" in it is text, not a format.
      Message message = new SimpleMessage(line);
      logger.log(level, message);
    } catch (RuntimeException e) {
      lost++;
      if (reason == null) {
        reason = reasonOf(e);
      }
    }
  }

  /** For example {@code no syslog daemon listens on /dev/log; 3 messages not delivered}. */
  synchronized Optional<String> problem() {
    if (lost == 0) {
      return Optional.empty();
    }
    return Optional.of(reason + "; " + lost + (lost == 1 ? " message" : " messages")
        + " not delivered");
  }

  private String reasonOf(RuntimeException e) {
    if (e instanceof AppenderLoggingException && e.getCause() instanceof UnixSocketException) {
      return ((UnixSocketException) e.getCause()).reason();
    }
    return destination.unreachable();
  }
}
