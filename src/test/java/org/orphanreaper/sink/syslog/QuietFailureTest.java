package org.orphanreaper.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no daemon and a dead log host, a fresh JVM finishes, reports the loss in one line and prints
 * nothing on stderr, which cron would mail.
 *
 * <p>A fresh JVM because Log4j's status logger keeps the System.err it found when first used, so
 * swapping System.err inside this JVM could miss its output.
 */
@Timeout(60)
class QuietFailureTest {

  @TempDir Path dir;

  @Test
  void deadSocketAndRefusedTcpAreReportedNotPrinted() throws Exception {
    Path socket = dir.resolve("no-daemon-here");
    int port = closedPort();

    ChildProcess probe =
        ChildProcess.run(
            ChildProcess.probeCommand(
                "local2", "reaper-quiet", socket.toString(), "tcp:127.0.0.1:" + port, "lost"),
            dir,
            Duration.ofSeconds(30));

    assertThat(probe.stderr()).isEmpty();
    assertThat(probe.exitCode()).isZero();
    assertThat(probe.stdout().lines().findFirst())
        .contains(
            "orphan-reaper: no syslog daemon listens on "
                + socket
                + "; 2 messages not delivered; cannot reach syslog host 127.0.0.1:"
                + port
                + " over TCP; 2 messages not delivered");
  }

  @Test
  void unresolvableLogHostIsReportedNotPrinted() throws Exception {
    Path socket = dir.resolve("no-daemon-here");

    ChildProcess probe =
        ChildProcess.run(
            ChildProcess.probeCommand(
                "daemon", "reaper-quiet", socket.toString(), "tcp:log-host.invalid:514", "lost"),
            dir,
            Duration.ofSeconds(30));

    assertThat(probe.stderr()).isEmpty();
    assertThat(probe.exitCode()).isZero();
    assertThat(probe.stdout().lines().findFirst().orElseThrow())
        .endsWith(
            "cannot reach syslog host log-host.invalid:514 over TCP; 2 messages not delivered");
  }

  /** A loopback port that was free a moment ago, so a connection to it is refused. */
  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
