package org.orphanreaper.report.syslog;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.appender.AppenderLoggingException;
import org.apache.logging.log4j.core.config.Property;

/**
 * Sends each event to the local syslog socket through logger(1), one process per message: the
 * way when jffi's native stub cannot be loaded, since the JDK cannot send a datagram to a unix
 * socket (and /dev/log takes datagrams only). That is when a run has to say it cannot signal, so
 * it is few messages; logger (util-linux) is on every node.
 *
 * <p>It never swallows a failure: exceptions reach the caller, which counts the lost message.
 */
final class LoggerCommandAppender extends AbstractAppender {

  private static final Path LOGGER = Path.of("/usr/bin/logger");

  private final Facility facility;
  private final String ident;
  private final long pid;
  private final Path socket;
  private final long timeoutMillis;

  /**
   * @param timeoutMillis how long one logger may take: a hung daemon must not hang the reaper
   */
  LoggerCommandAppender(String name, Facility facility, String ident, long pid, Path socket,
      long timeoutMillis) {
    super(name, null, null, false, Property.EMPTY_ARRAY);
    this.facility = facility;
    this.ident = ident;
    this.pid = pid;
    this.socket = socket;
    this.timeoutMillis = timeoutMillis;
  }

  /** The command for one message, which must already be a single line. */
  List<String> command(Severity severity, String message) {
    // --socket-errors=on: a socket nobody listens on is an error (exit 1), as it is for the
    // native socket; --id: the reaper's pid, not logger's; "--": a message may start with "-".
    return List.of(LOGGER.toString(), "--socket-errors=on", "--socket", socket.toString(),
        "--priority", facility.label() + "." + severity.label(), "--tag", ident, "--id=" + pid,
        "--size", "65536", "--", message);
  }

  @Override
  public void append(LogEvent event) {
    List<String> command =
        command(Severity.of(event.getLevel()), event.getMessage().getFormattedMessage());
    Process p;
    try {
      p = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw failure("cannot run " + LOGGER + ": " + e.getMessage());
    }
    try (InputStream stderr = p.getErrorStream()) {
      if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw failure("logger(1) did not deliver to " + socket + " in time");
      }
      if (p.exitValue() != 0) {
        String said = new String(stderr.readNBytes(4096), StandardCharsets.UTF_8)
            .strip().lines().findFirst().orElse("exit " + p.exitValue())
            .replaceFirst("^logger: ", "");
        throw failure("logger(1) could not send to " + socket + ": " + said);
      }
    } catch (IOException e) {
      throw failure("cannot read what logger(1) said: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while logger(1) sent to " + socket);
    }
  }

  private static AppenderLoggingException failure(String reason) {
    return new AppenderLoggingException(reason, new Failed(reason));
  }

  /** Why logger(1) did not deliver, for {@link Delivery}'s one-line report. */
  static final class Failed extends IOException {
    Failed(String reason) {
      super(reason);
    }
  }
}
