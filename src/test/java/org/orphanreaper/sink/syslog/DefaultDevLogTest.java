package org.orphanreaper.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default settings reach a daemon on the real path /dev/log. The machine needs none: the test
 * runs rsyslogd and a fresh JVM in a private mount namespace with its own tmpfs on /dev.
 */
@Timeout(120)
class DefaultDevLogTest {

  @TempDir Path dir;

  @Test
  void defaultSettingsReachDevLog() throws Exception {
    Optional<Path> rsyslogd = PrivateRsyslog.executable();
    Assumptions.assumeTrue(
        rsyslogd.isPresent(),
        "rsyslogd is not installed (Debian package rsyslog): default /dev/log not tested");
    Assumptions.assumeTrue(
        effectiveUid() == 0, "needs root to mount a private /dev: default /dev/log not tested");
    assumeMountNamespaces();

    Files.createDirectories(dir.resolve("work"));
    Files.writeString(
        dir.resolve("rsyslog.conf"), PrivateRsyslog.config(dir, Optional.empty(), 0, 0));
    Path script = dir.resolve("private-dev-log.sh");
    try (InputStream in = getClass().getResourceAsStream("/syslog/private-dev-log.sh")) {
      Files.copy(in, script);
    }
    boolean hostHadDevLog = Files.exists(Path.of("/dev/log"), LinkOption.NOFOLLOW_LINKS);
    String marker = "m-" + UUID.randomUUID();
    List<String> command =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                script.toString(),
                dir.toString(),
                rsyslogd.get().toString(),
                marker));
    command.addAll(ChildProcess.probeCommand("default", marker));

    ChildProcess run = ChildProcess.run(command, dir, Duration.ofSeconds(90));

    assertThat(run.exitCode()).as("script stderr: %s", run.stderr()).isZero();
    assertThat(run.stdout().lines().findFirst()).contains("delivered");
    assertThat(PrivateRsyslog.records(dir, r -> r.message().startsWith(marker)))
        .extracting(
            r -> List.of(r.input(), r.facility(), r.severity(), r.programName(), r.message()))
        .containsExactlyInAnyOrder(
            List.of("imuxsock", "daemon", "notice", "orphan-reaper", marker + " notice"),
            List.of("imuxsock", "daemon", "err", "orphan-reaper", marker + " error"));
    assertThat(Files.exists(Path.of("/dev/log"), LinkOption.NOFOLLOW_LINKS))
        .as("the host's /dev/log is as it was")
        .isEqualTo(hostHadDevLog);
  }

  private void assumeMountNamespaces() throws IOException, InterruptedException {
    ChildProcess probe;
    try {
      probe =
          ChildProcess.run(
              List.of("unshare", "--mount", "--propagation", "private", "true"),
              dir,
              Duration.ofSeconds(20));
    } catch (IOException e) {
      probe = new ChildProcess(-1, "", e.getMessage());
    }
    Assumptions.assumeTrue(
        probe.exitCode() == 0,
        "cannot create a mount namespace ("
            + probe.stderr().strip()
            + "): default /dev/log not tested");
  }

  private static int effectiveUid() throws IOException {
    // "Uid:\treal\teffective\tsaved\tfs" in /proc/self/status.
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(line -> line.startsWith("Uid:"))
        .map(line -> Integer.parseInt(line.split("\\s+")[2]))
        .findFirst()
        .orElse(-1);
  }
}
