package org.orphanreaper.sink.metrics;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.orphanreaper.act.KillOutcome;
import org.orphanreaper.report.RunReport;

/**
 * The metrics of one run for node_exporter's textfile collector. Every metric is a gauge: the file
 * describes the last run only and is replaced by the next.
 */
public final class Metrics {
  private Metrics() {}

  static final String PREFIX = "orphan_reaper_";
  private static final List<String> ACTIONS = List.of("kill", "report", "keep");

  /**
   * The metrics text of run {@code r}.
   *
   * @param runDuration how long the run took
   * @param errors how many errors of each kind the run met (e.g. "syslog", "accounting"); the run
   *     counts as failed when one of them is positive or a process survived SIGKILL
   */
  public static String of(RunReport r, Duration runDuration, Map<String, Integer> errors) {
    Exposition e = new Exposition();
    e.gauge(
        PREFIX + "last_run_timestamp_seconds",
        "Unix time at which the last run started its scan.",
        millis(r.time().toEpochMilli()));
    e.gauge(
        PREFIX + "last_run_duration_seconds",
        "How long the last run took, in seconds.",
        millis(runDuration.toMillis()));
    e.gauge(
        PREFIX + "processes_scanned",
        "Processes the last run scanned, kernel threads included.",
        Integer.toString(r.snapshot().processes().size()));
    families(e, r);
    e.gauge(
        PREFIX + "processes_killed",
        "Processes of the last run's killed families that ended after a signal.",
        Long.toString(processesKilled(r)));
    e.gauge(
        PREFIX + "survivors",
        "Processes still alive after SIGKILL in the last run.",
        Integer.toString(r.survivors()));
    e.metric(PREFIX + "errors", "gauge", "Errors the last run met, by kind.");
    int errorCount = 0;
    for (Map.Entry<String, Integer> x : new TreeMap<>(errors).entrySet()) {
      e.sample(
          PREFIX + "errors", Exposition.labels("kind", x.getKey()), Integer.toString(x.getValue()));
      errorCount += Math.max(0, x.getValue());
    }
    boolean success = errorCount == 0 && r.survivors() == 0;
    e.gauge(
        PREFIX + "run_success",
        "1 when the last run met no error and nothing survived SIGKILL, else 0.",
        success ? "1" : "0");
    return e.toString();
  }

  /**
   * The metrics of a run that stopped before it could act (fail closed: procfs or a batch system
   * could not be read, a rules file was rejected, the circuit breaker tripped), so that a node
   * that keeps failing shows up on the dashboard instead of going quiet.
   *
   * @param kind what stopped it, the label of the one error
   */
  public static String failed(java.time.Instant when, String kind) {
    Exposition e = new Exposition();
    e.gauge(
        PREFIX + "last_run_timestamp_seconds",
        "Unix time at which the last run started its scan.",
        millis(when.toEpochMilli()));
    e.metric(PREFIX + "errors", "gauge", "Errors the last run met, by kind.");
    e.sample(PREFIX + "errors", Exposition.labels("kind", kind), "1");
    e.gauge(
        PREFIX + "run_success",
        "1 when the last run met no error and nothing survived SIGKILL, else 0.",
        "0");
    return e.toString();
  }

  /**
   * Families by action and deciding rule (rule "" when none decided). Every action has a series, 0
   * when no family got it, so that alerts on the sum by action never see "no data".
   */
  private static void families(Exposition e, RunReport r) {
    Map<String, Map<String, Integer>> counts = new TreeMap<>();
    for (RunReport.FamilyReport f : r.families()) {
      String rule = f.decision().verdict().rule().orElse("");
      counts.computeIfAbsent(f.action(), a -> new TreeMap<>()).merge(rule, 1, Integer::sum);
    }
    e.metric(
        PREFIX + "families",
        "gauge",
        "Orphaned families of the last run, by action and by the rule that decided.");
    for (String action : ACTIONS) {
      Map<String, Integer> byRule = counts.getOrDefault(action, Map.of("", 0));
      for (Map.Entry<String, Integer> x : byRule.entrySet()) {
        e.sample(
            PREFIX + "families",
            Exposition.labels("action", action, "rule", x.getKey()),
            Integer.toString(x.getValue()));
      }
    }
  }

  /** Members that ended after a signal: what the syslog summary calls processes_ended. */
  private static long processesKilled(RunReport r) {
    return r.families().stream()
        .flatMap(f -> f.outcome().stream())
        .flatMap(o -> o.members().stream())
        .filter(
            m -> m.result() == KillOutcome.Result.EXITED || m.result() == KillOutcome.Result.KILLED)
        .count();
  }

  /** Milliseconds as exact decimal seconds, e.g. "1700000000.123": no float rounding. */
  private static String millis(long ms) {
    return BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
  }
}
