package org.orphanreaper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.orphanreaper.act.Signaller;
import org.orphanreaper.act.SignallingUnavailable;
import org.orphanreaper.base.IoProblem;
import org.orphanreaper.evidence.CommandRunner;
import org.orphanreaper.evidence.EvidenceUnavailable;
import org.orphanreaper.plan.CircuitBreaker;
import org.orphanreaper.plan.Explainer;
import org.orphanreaper.plan.Explanation;
import org.orphanreaper.plan.Grace;
import org.orphanreaper.plan.Plan;
import org.orphanreaper.plan.Planner;
import org.orphanreaper.proc.Accounts;
import org.orphanreaper.proc.PendingScan;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.ProcUnreadableException;
import org.orphanreaper.sink.AuditTrail;
import org.orphanreaper.sink.syslog.EventLog;
import org.orphanreaper.report.ExplainReport;
import org.orphanreaper.report.PolicyYaml;
import org.orphanreaper.report.RunReport;
import org.orphanreaper.sink.syslog.SyslogSettings;
import org.orphanreaper.report.Timings;
import org.orphanreaper.sink.metrics.Metrics;
import org.orphanreaper.rules.RuleSet;
import org.orphanreaper.rules.RulesException;
import org.orphanreaper.rules.RulesFile;

/** Wires the pipeline for one run: scan, families, plan, act, report. */
final class Reaper {

  /**
   * The parts that touch the system, created only when a run needs them.
   *
   * @param batchClock what the budget of the batch-system calls is counted on: System::nanoTime,
   *     or the clock a test's stand-in commands hang on
   */
  record Environment(
      Function<SyslogSettings, EventLog> syslog,
      Function<Path, Signaller> signallers,
      Accounts accounts,
      Path systemRules,
      CommandRunner batch,
      LongSupplier batchClock) {

    Environment(Function<SyslogSettings, EventLog> syslog, Function<Path, Signaller> signallers,
        Accounts accounts, Path systemRules, CommandRunner batch) {
      this(syslog, signallers, accounts, systemRules, batch, System::nanoTime);
    }

    static Environment live() {
      return new Environment(
          org.orphanreaper.sink.syslog.Syslog::open,
          org.orphanreaper.act.Signallers::forLiveSystem,
          Accounts.system(),
          RulesFile.SYSTEM,
          CommandRunner.LIVE,
          System::nanoTime);
    }
  }

  private final Environment env;

  Reaper(Environment env) {
    this.env = env;
  }

  int run(Options o, PrintWriter out, PrintWriter err) {
    // Whether rules must be safe to obey as root is a fact of this process, whatever --proc says.
    boolean root = new ProcFs(Options.LIVE_PROC).selfCredentials()
        .map(c -> c.euid() == 0).orElse(true);
    if (o.check()) {
      return check(o, root, out, err);
    }
    boolean kill = !o.debug() && o.explain().isEmpty();
    if (kill && !o.proc().equals(Options.LIVE_PROC)) {
      return usage(err, "--proc is for --debug and --explain only: kill mode reads /proc");
    }
    ProcFs procfs = new ProcFs(o.proc());
    if (kill) {
      if (!root) {
        err.println("orphan-reaper: kill mode needs root; use --debug to see what would be killed");
        return ExitCode.NEEDS_ROOT;
      }
      if (procfs.selfPid() != ProcessHandle.current().pid()) {
        // /proc was mounted for another PID namespace: its pids are not the ones we would signal.
        return unsafe(o, err, "/proc does not belong to this PID namespace (it shows this process"
            + " as pid " + procfs.selfPid() + "); nothing was killed");
      }
    }
    List<FileTargets.Refusal> refused = FileTargets.refused(o, kill);
    if (!refused.isEmpty()) {
      return refuseFiles(o, kill, err, refused);
    }
    if (o.explain().isEmpty() && !o.splay().isZero()) {
      try {
        Thread.sleep(Splay.delay(Splay.nodeKey(procfs.hostname()), o.splay()).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return unsafe(o, err, "interrupted during --splay; nothing was scanned or killed");
      }
    }
    if (!kill) {
      return scanWithRules(o, root, procfs, out, err);
    }
    // The lock comes before the scan: a snapshot taken while another instance still kills would
    // be stale by the time this one may act.
    RunLock lock;
    try {
      Optional<RunLock> l = RunLock.tryAcquire(o.lock());
      if (l.isEmpty()) {
        err.println("orphan-reaper: another instance is running (lock " + o.lock() + " is held)");
        return ExitCode.LOCKED;
      }
      lock = l.get();
    } catch (IOException e) {
      return unsafe(o, err, "cannot take the lock " + o.lock() + ": " + IoProblem.describe(e)
          + "; kill mode runs only under it: nothing was scanned or killed");
    }
    try (lock) {
      try {
        // The first native call of every kill run: a stub that cannot be loaded is said here,
        // before the scan, not as an internal error.
        new KillStage(env, o, err).recoverJournal();
      } catch (SignallingUnavailable e) {
        return unsafe(o, err, "kill mode cannot signal: " + e.getMessage()
            + "; nothing was scanned or killed");
      }
      return scanWithRules(o, root, procfs, out, err);
    } catch (IOException e) {
      return ExitCode.OK; // releasing the lock failed; the kernel drops it at exit anyway
    }
  }

  /**
   * Starts the scan, which needs nothing from the rules, and reads the rules while it runs (on a
   * big node the scan's reads take a few hundred milliseconds of kernel time, the rules' parse
   * a few tens of the JVM's). Rules that are rejected leave the scan unused: nothing is decided.
   */
  private int scanWithRules(Options o, boolean root, ProcFs procfs, PrintWriter out,
      PrintWriter err) {
    Timings timings = new Timings();
    PendingScan scan = procfs.scanInBackground();
    RuleSet rules;
    try {
      rules = RulesFile.load(o.rules(), env.systemRules(), root);
    } catch (RulesException e) {
      return rejected(o, !o.debug() && o.explain().isEmpty(), err, e);
    }
    timings.lap("rules");
    if (o.explain().isPresent()) {
      return explain(o, procfs, scan, rules, out, err);
    }
    return scanAndAct(o, rules, procfs, scan, timings, out, err);
  }

  /** --check: the rules, normalised, on stdout; or every problem on stderr. */
  private int check(Options o, boolean root, PrintWriter out, PrintWriter err) {
    try {
      RuleSet rules = RulesFile.load(o.rules(), env.systemRules(), root);
      out.println("# " + rules.source() + ": valid; normalised (durations in seconds, sizes in"
          + " bytes, lists expanded)");
      out.print(PolicyYaml.render(rules));
      return ExitCode.OK;
    } catch (RulesException e) {
      e.problems().forEach(p -> err.println(p));
      return ExitCode.USAGE;
    }
  }

  /** A rules file that cannot be obeyed: nothing is scanned, every problem is listed. */
  private int rejected(Options o, boolean kill, PrintWriter err, RulesException e) {
    e.problems().forEach(p -> err.println(p));
    String summary = "rules rejected (" + e.problems().size() + " problem"
        + (e.problems().size() == 1 ? "" : "s") + ", first: " + e.problems().get(0)
        + "); nothing was killed";
    err.println("orphan-reaper: " + summary);
    RunOutput.failedMetrics(o, err, "rules");
    Problems.log(env, o, err, kill, List.of(summary));
    return ExitCode.USAGE;
  }

  /**
   * File options that name something else than a regular file (the run would read, lock or
   * replace it: a FIFO hung the run, --metrics /dev/null replaced the node's /dev/null): nothing
   * is scanned, every refusal is listed.
   */
  private int refuseFiles(Options o, boolean kill, PrintWriter err,
      List<FileTargets.Refusal> refused) {
    List<String> lines = refused.stream()
        .map(r -> r + "; nothing was scanned or killed").toList();
    lines.forEach(l -> err.println("orphan-reaper: " + l));
    if (refused.stream().noneMatch(r -> r.option().equals("--metrics"))) {
      RunOutput.failedMetrics(o, err, "files");
    }
    Problems.log(env, o, err, kill, lines);
    return ExitCode.USAGE;
  }

  private int explain(Options o, ProcFs procfs, PendingScan scan, RuleSet rules,
      PrintWriter out, PrintWriter err) {
    int pid = o.explain().getAsInt();
    Survey.Decided d;
    try {
      d = new Survey(env, o).decide(rules, procfs, scan, pid, new Timings(), err);
    } catch (ProcUnreadableException | EvidenceUnavailable e) {
      return unsafe(o, err, e.getMessage());
    }
    // The whole plan, grace state read but never written: a family's trail is the one a run
    // would take, the circuit breaker's count of every family's kills included.
    Plan plan = plan(o, rules, procfs, d, GraceKeeping.read(o, rules, false));
    Optional<Explanation> e = Explainer.explain(d.tree(), plan, pid);
    if (e.isEmpty()) {
      err.println("orphan-reaper: --explain: no process " + pid + " in " + o.proc());
      return ExitCode.USAGE;
    }
    ExplainReport r = new ExplainReport(env.accounts()::name);
    out.print(o.json() ? r.json(d.snapshot(), e.get(), rules.source()) + "\n"
        : r.text(d.snapshot(), e.get(), rules.source()));
    d.problems().forEach(p -> err.println("orphan-reaper: " + p));
    return d.problems().isEmpty() ? ExitCode.OK : ExitCode.UNSAFE;
  }

  private int scanAndAct(Options o, RuleSet rules, ProcFs procfs, PendingScan scan,
      Timings timings, PrintWriter out, PrintWriter err) {
    boolean kill = !o.debug();
    Instant started = Instant.now();
    Survey.Decided d;
    try {
      d = new Survey(env, o).decide(rules, procfs, scan, -1, timings, err);
    } catch (ProcUnreadableException | EvidenceUnavailable e) {
      return unsafe(o, err, e.getMessage() + "; nothing was killed");
    }
    Grace grace = GraceKeeping.read(o, rules, kill);
    Plan plan = plan(o, rules, procfs, d, grace);
    Map<String, Integer> errors = new TreeMap<>();
    boolean graceCounted = !Grace.used(rules)
        || new GraceKeeping(env, o, err).remember(plan, grace, kill, errors);
    Optional<String> tripped = plan.heldBack();
    timings.lap("plan");
    if (kill && tripped.isPresent()) {
      return unsafe(o, err, "circuit breaker: " + tripped.get() + "; nothing was killed");
    }
    RunOutput output = new RunOutput(env, o, out, err);
    boolean unjudged = output.unjudged(d.problems(), plan, errors, kill);
    RunReport report;
    int exit;
    try (AuditTrail audit =
        output.auditTrail(plan, kill, procfs.hostname(), started, d.snapshot())) {
      List<RunReport.FamilyReport> reports =
          new KillStage(env, o, err).run(plan, d.floor(), d.settled(), audit, errors);
      timings.lap("act");
      report = new RunReport(procfs.hostname(), started, kill, d.snapshot(), reports);
      exit = output.report(report, errors, audit);
      if (errors.containsKey(KillStage.JOURNAL_FAILED)) {
        exit = exit == ExitCode.OK ? ExitCode.UNSAFE : exit;
      }
    }
    output.metrics(Metrics.of(report, Duration.between(started, Instant.now()), errors));
    timings.lap("report");
    if (o.timings()) {
      err.println(timings.line());
    }
    if (tripped.isPresent()) {
      err.println("orphan-reaper: circuit breaker: " + tripped.get()
          + "; kill mode would kill nothing");
      return ExitCode.UNSAFE;
    }
    return exit == ExitCode.OK && (unjudged || !graceCounted) ? ExitCode.UNSAFE : exit;
  }

  /** The one decision procedure over what the survey found: runs and --explain alike. */
  private static Plan plan(Options o, RuleSet rules, ProcFs procfs, Survey.Decided d,
      Grace grace) {
    CircuitBreaker breaker = new CircuitBreaker(rules.defaults().maxKillsPerRun(),
        rules.defaults().maxFraction(), !o.epilogue());
    return new Planner(d.floor(), d.policy(), grace, breaker).plan(d.snapshot(), d.families(),
        () -> procfs.userProcesses(d.snapshot(), d.floor().minUid()));
  }

  private static int usage(PrintWriter err, String message) {
    err.println("orphan-reaper: " + message);
    return ExitCode.USAGE;
  }

  /** Fail closed: say why on stderr and, in kill mode, on syslog; kill nothing. */
  private int unsafe(Options o, PrintWriter err, String message) {
    err.println("orphan-reaper: " + message);
    RunOutput.failedMetrics(o, err, "unsafe");
    Problems.log(env, o, err, !o.debug(), List.of(message));
    return ExitCode.UNSAFE;
  }
}
