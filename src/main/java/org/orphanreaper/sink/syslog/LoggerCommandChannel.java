package org.orphanreaper.sink.syslog;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends each line to the local syslog socket through logger(1), one process per line: the way
 * when jffi's native stub cannot be loaded, since the JDK cannot send a datagram to a unix socket
 * (and /dev/log takes datagrams only). That is when a run has to say it cannot signal, so it is
 * few lines; logger (util-linux) is on every node.
 */
final class LoggerCommandChannel implements Channel {

  private static final Path LOGGER = Path.of("/usr/bin/logger");

  private final Facility facility;
  private final String ident;
  private final long pid;
  private final Path socket;
  private final long timeoutMillis;

  /**
   * @param timeoutMillis how long one logger may take: a hung daemon must not hang the reaper
   */
  LoggerCommandChannel(Facility facility, String ident, long pid, Path socket,
      long timeoutMillis) {
    this.facility = facility;
    this.ident = ident;
    this.pid = pid;
    this.socket = socket;
    this.timeoutMillis = timeoutMillis;
  }

  /** The command for one line. */
  List<String> command(Severity severity, String line) {
    // --socket-errors=on: a socket nobody listens on is an error (exit 1), as it is for the
    // native socket; --id: the reaper's pid, not logger's; "--": a line may start with "-".
    return List.of(LOGGER.toString(), "--socket-errors=on", "--socket", socket.toString(),
        "--priority", facility.label() + "." + severity.label(), "--tag", ident, "--id=" + pid,
        "--size", "65536", "--", line);
  }

  @Override
  public void send(Severity severity, String line) throws Undelivered {
    Process p;
    try {
      p = new ProcessBuilder(command(severity, line))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new Undelivered("cannot run " + LOGGER + ": " + e.getMessage());
    }
    try (InputStream stderr = p.getErrorStream()) {
      if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new Undelivered("logger(1) did not deliver to " + socket + " in time");
      }
      if (p.exitValue() != 0) {
        String said = new String(stderr.readNBytes(4096), StandardCharsets.UTF_8)
            .strip().lines().findFirst().orElse("exit " + p.exitValue())
            .replaceFirst("^logger: ", "");
        throw new Undelivered("logger(1) could not send to " + socket + ": " + said);
      }
    } catch (IOException e) {
      throw new Undelivered("cannot read what logger(1) said: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Undelivered("interrupted while logger(1) sent to " + socket);
    }
  }

  /** Each line's logger has ended by the time send returns: nothing is held. */
  @Override
  public void close() {}
}
