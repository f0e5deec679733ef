package org.orphanreaper.sink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.plan.Decision;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.report.RunFixture;
import org.orphanreaper.report.RunReport;

class MetricsTest {

  @TempDir Path dir;

  private static Map<String, PromText.Family> parse(String text) throws Exception {
    return PromText.parse(text);
  }

  /** The value of the one sample of {@code metric} with exactly these labels. */
  private static double value(Map<String, PromText.Family> m, String metric, String... labels) {
    Map<String, String> want = new TreeMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      want.put(labels[i], labels[i + 1]);
    }
    return m.get(metric).samples().stream()
        .filter(s -> new TreeMap<>(s.labels()).equals(want))
        .findFirst()
        .orElseThrow(() -> new AssertionError(metric + want + " missing"))
        .value();
  }

  @Test
  void everyMetricIsAGaugeWithHelpAndType() throws Exception {
    String text = Metrics.of(RunFixture.kill(dir), Duration.ofMillis(1250), Map.of());
    Map<String, PromText.Family> m = parse(text);
    assertThat(m.keySet())
        .containsExactly(
            "orphan_reaper_last_run_timestamp_seconds",
            "orphan_reaper_last_run_duration_seconds",
            "orphan_reaper_processes_scanned",
            "orphan_reaper_families",
            "orphan_reaper_processes_killed",
            "orphan_reaper_survivors",
            "orphan_reaper_errors",
            "orphan_reaper_run_success");
    for (PromText.Family f : m.values()) {
      assertThat(f.type()).as(f.name()).isEqualTo("gauge");
      assertThat(f.help()).as(f.name()).isNotBlank();
    }
    assertThat(text).endsWith("\n");
  }

  @Test
  void theValuesOfAKillRun() throws Exception {
    RunReport run = RunFixture.kill(dir);
    Map<String, PromText.Family> m = parse(Metrics.of(run, Duration.ofMillis(1250), Map.of()));
    assertThat(value(m, "orphan_reaper_last_run_timestamp_seconds"))
        .isEqualTo(RunFixture.TIME.getEpochSecond());
    assertThat(value(m, "orphan_reaper_last_run_duration_seconds")).isEqualTo(1.25);
    assertThat(value(m, "orphan_reaper_processes_scanned")).isEqualTo(9);
    assertThat(value(m, "orphan_reaper_families", "action", "kill", "rule", "long-running"))
        .isEqualTo(2);
    assertThat(value(m, "orphan_reaper_families", "action", "kill", "rule", "stuck")).isEqualTo(1);
    assertThat(value(m, "orphan_reaper_families", "action", "report", "rule", "young"))
        .isEqualTo(1);
    assertThat(value(m, "orphan_reaper_families", "action", "keep", "rule", "")).isEqualTo(1);
    assertThat(m.get("orphan_reaper_families").samples()).hasSize(4);
    // 100 exited on TERM, 101 needed KILL; spared, zombie, survivor and vanished do not count.
    assertThat(value(m, "orphan_reaper_processes_killed")).isEqualTo(2);
    assertThat(value(m, "orphan_reaper_survivors")).isEqualTo(1);
    assertThat(m.get("orphan_reaper_errors").samples()).isEmpty();
    assertThat(value(m, "orphan_reaper_run_success")).isZero();
  }

  @Test
  void aCleanRunSucceedsAndEveryActionHasASeries() throws Exception {
    RunReport run = RunFixture.kill(dir);
    RunReport kept =
        RunFixture.with(run, true, List.of(
                new RunReport.FamilyReport(
                    new Decision(
                        run.families().get(2).decision().family(),
                        new Verdict.Keep("protected", true, Optional.of("daemons")), List.of()),
                    Optional.empty(),
                    true,
                    true)));
    Map<String, PromText.Family> m = parse(Metrics.of(kept, Duration.ZERO, Map.of()));
    assertThat(value(m, "orphan_reaper_families", "action", "kill", "rule", "")).isZero();
    assertThat(value(m, "orphan_reaper_families", "action", "report", "rule", "")).isZero();
    assertThat(value(m, "orphan_reaper_families", "action", "keep", "rule", "daemons"))
        .isEqualTo(1);
    assertThat(value(m, "orphan_reaper_last_run_duration_seconds")).isZero();
    assertThat(value(m, "orphan_reaper_run_success")).isEqualTo(1);
  }

  @Test
  void errorsByKindAndAnyErrorFailsTheRun() throws Exception {
    RunReport run = RunFixture.kill(dir);
    RunReport noSurvivor =
        RunFixture.with(run, true, run.families().subList(0, 2));
    Map<String, PromText.Family> m =
        parse(Metrics.of(noSurvivor, Duration.ofSeconds(2), Map.of("syslog", 1, "accounting", 0)));
    assertThat(value(m, "orphan_reaper_errors", "kind", "syslog")).isEqualTo(1);
    assertThat(value(m, "orphan_reaper_errors", "kind", "accounting")).isZero();
    assertThat(value(m, "orphan_reaper_survivors")).isZero();
    assertThat(value(m, "orphan_reaper_run_success")).isZero();
    m = parse(Metrics.of(noSurvivor, Duration.ofSeconds(2), Map.of("accounting", 0)));
    assertThat(value(m, "orphan_reaper_run_success")).isEqualTo(1);
  }

  @Test
  void labelValuesAreEscapedAndParseBackUnchanged() throws Exception {
    RunReport run = RunFixture.kill(dir);
    String rule = "we\\ird \"rule\"\nname";
    RunReport odd =
        RunFixture.with(run, true, List.of(
                new RunReport.FamilyReport(
                    new Decision(
                        run.families().get(1).decision().family(), new Verdict.Report("r", rule), List.of()),
                    Optional.empty(),
                    true,
                    true)));
    String text = Metrics.of(odd, Duration.ZERO, Map.of("bad \"kind\"\\\n", 3));
    assertThat(text).contains("rule=\"we\\\\ird \\\"rule\\\"\\nname\"");
    Map<String, PromText.Family> m = parse(text);
    assertThat(value(m, "orphan_reaper_families", "action", "report", "rule", rule)).isEqualTo(1);
    assertThat(value(m, "orphan_reaper_errors", "kind", "bad \"kind\"\\\n")).isEqualTo(3);
  }

  @Test
  void timesAreExactDecimalsNotFloatNoise() {
    RunReport run =
        new RunReport(
            "h",
            java.time.Instant.parse("2024-05-01T12:00:00.123Z"),
            true,
            new org.orphanreaper.proc.Snapshot(
                dir,
                100,
                4096,
                java.time.Instant.EPOCH,
                0,
                -1,
                Map.of()),
            List.of());
    String text = Metrics.of(run, Duration.ofMillis(100), Map.of());
    assertThat(text)
        .contains(
            "\norphan_reaper_last_run_timestamp_seconds 1714564800.123\n",
            "\norphan_reaper_last_run_duration_seconds 0.1\n");
  }
}
