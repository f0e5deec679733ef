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
  private boolean closed;

  Delivery(Destination destination, Logger logger) {
    this.destination = destination;
    this.logger = logger;
  }

  /** Logs one line; never throws. */
  synchronized void send(Level level, String line) {
    if (closed) {
      // A stopped Log4j configuration drops events without a word; count them instead.
      lose("messages were logged after the syslog log was closed");
      return;
    }
    if (destination.setupProblem().isPresent()) {
      lose(destination.setupProblem().get());
      return;
    }
    try {
      // SimpleMessage: a line with "{}" in it is text, not a format.
      Message message = new SimpleMessage(line);
      logger.log(level, message);
    } catch (RuntimeException e) {
      lose(reasonOf(e));
    }
  }

  /** Every later line counts as lost. */
  synchronized void close() {
    closed = true;
  }

  /** For example {@code no syslog daemon listens on /dev/log; 3 messages not delivered}. */
  synchronized Optional<String> problem() {
    if (lost == 0) {
      return Optional.empty();
    }
    String count = lost == 1 ? "1 message" : lost + " messages";
    return Optional.of(reason + "; " + count + " not delivered");
  }

  private void lose(String why) {
    lost++;
    if (reason == null) {
      reason = why;
    }
  }

  private String reasonOf(RuntimeException e) {
    if (e instanceof AppenderLoggingException && e.getCause() instanceof UnixSocketException) {
      return ((UnixSocketException) e.getCause()).reason();
    }
    if (e instanceof AppenderLoggingException
        && e.getCause() instanceof LoggerCommandAppender.Failed) {
      return e.getCause().getMessage();
    }
    return destination.unreachable();
  }
}
