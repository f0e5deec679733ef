package org.orphanreaper.report.syslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.appender.AppenderLoggingException;
import org.apache.logging.log4j.core.config.Property;

/**
 * A Log4j appender that sends each event as one syslog(3)-style datagram to the local daemon.
 *
 * <p>It never swallows a failure: exceptions reach the caller, which counts the lost message.
 */
final class UnixSocketAppender extends AbstractAppender {

  private final LocalLineFormat format;
  private final UnixDatagramSocket socket;

  UnixSocketAppender(String name, LocalLineFormat format, UnixDatagramSocket socket) {
    super(name, null, null, false, Property.EMPTY_ARRAY);
    this.format = format;
    this.socket = socket;
  }

  @Override
  public void append(LogEvent event) {
    String line =
        format.format(
            Severity.of(event.getLevel()),
            Instant.ofEpochMilli(event.getTimeMillis()),
            event.getMessage().getFormattedMessage());
    try {
      socket.send(line.getBytes(StandardCharsets.UTF_8));
    } catch (UnixSocketException e) {
      throw new AppenderLoggingException(e.reason(), e);
    }
  }

  @Override
  public boolean stop(long timeout, TimeUnit timeUnit) {
    setStopping();
    socket.close();
    setStopped();
    return true;
  }
}
