package org.orphanreaper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orphanreaper.act.SignallingPath;
import org.orphanreaper.plan.Decision;
import org.orphanreaper.plan.Plan;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.proc.Accounts;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.report.Escape;
import org.orphanreaper.report.JsonReport;
import org.orphanreaper.report.Listing;
import org.orphanreaper.report.RunReport;
import org.orphanreaper.sink.AuditTrail;
import org.orphanreaper.sink.accounting.AccountingLog;
import org.orphanreaper.sink.accounting.ReasonCode;
import org.orphanreaper.sink.metrics.Metrics;
import org.orphanreaper.sink.metrics.MetricsFile;
import org.orphanreaper.tree.Family;

/**
 * What a run shows and records: the listing or JSON document on stdout, the audit trail
 * (accounting and syslog) of kill mode, the summary and the metrics, and the exit code they
 * make.
 */
final class RunOutput {

  /** The accounting reason code of each way a family becomes a candidate (LSF's TERM_*). */
  private static final Map<Family.Origin, ReasonCode> REASON_CODES = Map.of(
      Family.Origin.ORPHAN, ReasonCode.TERM_ORPHAN,
      Family.Origin.LINEAGE, ReasonCode.TERM_LINEAGE,
      Family.Origin.JOB_MARK, ReasonCode.TERM_JOB_GID);

  private final Reaper.Environment env;
  private final Options o;
  private final PrintWriter out;
  private final PrintWriter err;

  RunOutput(Reaper.Environment env, Options o, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.o = o;
    this.out = out;
    this.err = err;
  }

  /**
   * Where kill mode records each family as it finishes, syslog opened once for the run; null
   * when there is nothing to record (a preview, or no family to kill or report).
   */
  AuditTrail auditTrail(Plan plan, boolean kill, String host, Instant started, Snapshot snapshot) {
    boolean logs = kill && plan.decisions().stream()
        .anyMatch(x -> x.kills() || x.verdict() instanceof Verdict.Report);
    return !logs ? null : new AuditTrail(host, started, snapshot, env.syslog().apply(o.syslog()),
        new AccountingLog(o.accounting(), AccountingLog.DEFAULT_MAX_BYTES,
            AccountingLog.DEFAULT_KEEP), env.accounts()::name,
        f -> REASON_CODES.get(f.decision().family().origin()),
        o.quiet() || o.json() ? Optional.empty() : Optional.of(out));
  }

  /**
   * @param errors filled with the number of problems per kind, for the metrics
   * @param audit where kill mode recorded the families it acted on; null when none is logged
   */
  int report(RunReport r, Map<String, Integer> errors, AuditTrail audit) {
    Accounts names = env.accounts();
    if (o.json()) {
      out.println(new JsonReport(names::name).render(r, SignallingPath.ofThisNode().toString()));
    } else if (!r.killMode()) {
      out.print(new Listing(names::name).render(r, o.verbose()));
      // How kill mode would signal here, told without binding any native code.
      out.println(r.mode() + ": signalling: " + SignallingPath.ofThisNode());
    }
    boolean recordsLost = false;
    if (audit != null) {
      // families acted on were recorded as they finished; reported ones now
      r.logged().stream().filter(f -> f.outcome().isEmpty()).forEach(audit::family);
      Optional<String> lost = audit.summary(r);
      lost.ifPresent(p -> {
        err.println("orphan-reaper: " + p);
        errors.merge("accounting", 1, Integer::sum);
      });
      recordsLost = lost.isPresent();
      audit.deliveryProblem().ifPresent(p -> {
        err.println(p);
        errors.merge("syslog", 1, Integer::sum);
      });
    }
    if (r.survivors() > 0) {
      err.println("orphan-reaper: " + r.survivors() + " process(es) survived SIGKILL");
      return ExitCode.SURVIVORS;
    }
    // The audit trail of what root killed is part of the job: a run that lost it says so.
    return recordsLost ? ExitCode.UNSAFE : ExitCode.OK;
  }

  /** The metrics of a run that stopped before acting, when --metrics asks for them. */
  static void failedMetrics(Options o, PrintWriter err, String kind) {
    o.metrics().ifPresent(file -> writeMetrics(file, Metrics.failed(Instant.now(), kind), err));
  }

  /** The run's metrics, when --metrics asks for them. */
  void metrics(String text) {
    o.metrics().ifPresent(file -> writeMetrics(file, text, err));
  }

  /** A metrics file that cannot be written is said on stderr; the run goes on as it would. */
  private static void writeMetrics(Path file, String text, PrintWriter err) {
    try {
      MetricsFile.write(file, text);
    } catch (IOException e) {
      err.println("orphan-reaper: " + e.getMessage()); // "metrics: cannot write FILE: why"
    }
  }

  /**
   * Says what the batch systems could not be asked, and each family left alone for it, on
   * stderr and, in kill mode, in syslog; counts it for the metrics. False when everything could
   * be asked.
   */
  boolean unjudged(List<String> problems, Plan plan, Map<String, Integer> errors, boolean kill) {
    List<String> lines = unjudgedLines(problems, plan);
    if (lines.isEmpty()) {
      return false;
    }
    errors.merge("evidence", problems.size(), Integer::sum);
    Problems.say(env, o, err, kill, lines);
    return true;
  }

  /** Families listed one a line beyond this are summed up in one more. */
  private static final int UNJUDGED_LINES = 20;

  /**
   * What the batch systems could not be asked, then each family left alone for it, the
   * families bounded to {@link #UNJUDGED_LINES} lines: empty when everything could be asked.
   */
  private static List<String> unjudgedLines(List<String> problems, Plan plan) {
    List<String> out = new ArrayList<>(problems);
    if (problems.isEmpty()) {
      return out;
    }
    List<Decision> held = plan.decisions().stream()
        .filter(x -> x.verdict() instanceof Verdict.Keep k && k.unjudged()).toList();
    for (Decision x : held.subList(0, Math.min(held.size(), UNJUDGED_LINES))) {
      Family f = x.family();
      out.add("family sid " + f.sid() + " (root pid " + f.root().pid() + ", " + f.size()
          + " processes) was not killed: "
          + Escape.text(x.verdict().reason()));
    }
    if (held.size() > UNJUDGED_LINES) {
      out.add((held.size() - UNJUDGED_LINES) + " more families were not killed for the same"
          + " reasons");
    }
    out.add(held.size() + " famil" + (held.size() == 1 ? "y" : "ies") + " not judged; the"
        + " others were judged as usual");
    return out;
  }
}
