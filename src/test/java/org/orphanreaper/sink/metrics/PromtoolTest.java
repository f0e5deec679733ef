package org.orphanreaper.sink.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.report.RunFixture;

/**
 * Prometheus's own parser and linter ({@code promtool check metrics}, Debian package prometheus) on
 * the metrics of a kill run, where it is installed; PromText is the check everywhere else.
 */
class PromtoolTest {

  @TempDir Path dir;

  @Test
  void promtoolAcceptsTheMetricsWithoutLintWarnings() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    assumeTrue(Files.isExecutable(promtool), "promtool not installed: skipped");
    String text =
        Metrics.of(
            RunFixture.kill(dir.resolve("proc")),
            Duration.ofMillis(1250),
            Map.of("syslog", 1, "odd \"kind\"\\\n", 2));
    Path file = dir.resolve("m.prom");
    Files.writeString(file, text);
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(said).isEmpty();
    assertThat(p.exitValue()).isZero();
  }
}
