package org.orphanreaper.sink.syslog;

import java.util.Optional;

/** Sends lines through one {@link Channel} and counts the ones that did not get through. */
final class Delivery {

  private final Channel channel;
  private final String unreachable;
  private int lost;
  private String reason;
  private boolean closed;

  /**
   * @param unreachable the reason reported when a send fails without saying why
   */
  Delivery(Channel channel, String unreachable) {
    this.channel = channel;
    this.unreachable = unreachable;
  }

  /** Sends one line; never throws. */
  synchronized void send(Severity severity, String line) {
    if (closed) {
      // The channel's socket is gone; count the line instead of reopening it.
      lose("messages were logged after the syslog log was closed");
      return;
    }
    try {
      channel.send(severity, line);
    } catch (Undelivered e) {
      lose(e.reason());
    } catch (RuntimeException e) {
      lose(unreachable);
    }
  }

  /** Closes the channel; every later line counts as lost. */
  synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        channel.close();
      } catch (RuntimeException e) {
        // Closing a socket cannot lose a line that was already sent; nothing to report.
      }
    }
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
}
