package org.orphanreaper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.orphanreaper.act.FamilyKiller;
import org.orphanreaper.act.KillOutcome;
import org.orphanreaper.act.Signaller;
import org.orphanreaper.plan.Decision;
import org.orphanreaper.plan.HardFloor;
import org.orphanreaper.plan.Plan;
import org.orphanreaper.plan.Planner;
import org.orphanreaper.plan.Thresholds;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.proc.Accounts;
import org.orphanreaper.proc.Credentials;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.ProcUnreadableException;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.report.EventLines;
import org.orphanreaper.report.EventLog;
import org.orphanreaper.report.JsonReport;
import org.orphanreaper.report.Listing;
import org.orphanreaper.report.RunReport;
import org.orphanreaper.report.SyslogSettings;
import org.orphanreaper.report.Timings;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.FamilyFinder;
import org.orphanreaper.tree.ProcessTree;

/** Wires the pipeline for one run: scan, families, plan, act, report. */
final class Reaper {

  /** The parts that touch the system, created only when a run needs them. */
  record Environment(
      Function<SyslogSettings, EventLog> syslog,
      Function<Path, Signaller> signallers,
      Accounts accounts) {

    static Environment live() {
      return new Environment(
          org.orphanreaper.report.syslog.Syslog::open,
          org.orphanreaper.act.Signallers::forLiveSystem,
          Accounts.system());
    }
  }

  /** Families killed at once: each waits out its own grace period. */
  private static final int KILL_THREADS = 4;

  private final Environment env;

  Reaper(Environment env) {
    this.env = env;
  }

  int run(Options o, PrintWriter out, PrintWriter err) {
    boolean kill = !o.debug();
    if (kill && !o.proc().equals(Options.LIVE_PROC)) {
      return usage(err, "--proc is for --debug only: kill mode reads /proc");
    }
    ProcFs procfs = new ProcFs(o.proc());
    if (kill) {
      Optional<Credentials> self = procfs.selfCredentials();
      if (self.isEmpty() || self.get().euid() != 0) {
        err.println("orphan-reaper: kill mode needs root; use --debug to see what would be killed");
        return ExitCode.NEEDS_ROOT;
      }
      if (procfs.selfPid() != ProcessHandle.current().pid()) {
        // /proc was mounted for another PID namespace: its pids are not the ones we would signal.
        return unsafe(o, err, "/proc does not belong to this PID namespace (it shows this process"
            + " as pid " + procfs.selfPid() + "); nothing was killed");
      }
      RunLock lock;
      try {
        Optional<RunLock> l = RunLock.tryAcquire(o.lock());
        if (l.isEmpty()) {
          err.println("orphan-reaper: another instance is running (lock " + o.lock() + " is held)");
          return ExitCode.LOCKED;
        }
        lock = l.get();
      } catch (IOException e) {
        return unsafe(o, err, "cannot open lock file " + o.lock() + ": " + e.getMessage()
            + "; nothing was killed");
      }
      try (lock) {
        return scanAndAct(o, procfs, out, err);
      } catch (IOException e) {
        return ExitCode.OK; // releasing the lock failed; the kernel drops it at exit anyway
      }
    }
    return scanAndAct(o, procfs, out, err);
  }

  private int scanAndAct(Options o, ProcFs procfs, PrintWriter out, PrintWriter err) {
    boolean kill = !o.debug();
    Instant started = Instant.now();
    Timings timings = new Timings();
    Snapshot snapshot;
    try {
      snapshot = procfs.scan();
      timings.lap("scan");
    } catch (ProcUnreadableException e) {
      return unsafe(o, err, e.getMessage() + "; nothing was killed");
    }
    ProcessTree tree = new ProcessTree(snapshot);
    FamilyFinder finder = FamilyFinder.initOnly();
    List<Family> families = finder.orphans(tree);
    Set<Integer> members = new HashSet<>();
    families.forEach(f -> members.addAll(f.pids()));
    timings.lap("families");
    snapshot = procfs.describe(snapshot, members);
    timings.lap("describe");

    int minUid = o.minUid().orElseGet(() -> env.accounts().uidMin());
    HardFloor floor = HardFloor.of(minUid, tree);
    Planner planner = new Planner(floor,
        new Thresholds(o.cputime(), o.walltime(), o.signal(), o.killAfter()));
    Plan plan = planner.plan(snapshot, families);
    timings.lap("plan");

    List<RunReport.FamilyReport> reports = kill && !plan.kills().isEmpty()
        ? act(o, plan, floor, finder)
        : plan.decisions().stream()
            .map(d -> new RunReport.FamilyReport(d, Optional.empty())).toList();
    timings.lap("act");
    RunReport report = new RunReport(procfs.hostname(), started, kill, snapshot, reports);
    int exit = report(o, report, out, err);
    timings.lap("report");
    if (o.timings()) {
      err.println(timings.line());
    }
    return exit;
  }

  private List<RunReport.FamilyReport> act(Options o, Plan plan, HardFloor floor,
      FamilyFinder finder) {
    List<RunReport.FamilyReport> reports = new ArrayList<>();
    List<Future<KillOutcome>> pending = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.min(KILL_THREADS, plan.kills().size()));
    try (Signaller signaller = env.signallers().apply(o.proc())) {
      for (Decision d : plan.decisions()) {
        if (d.verdict() instanceof Verdict.Kill k) {
          pending.add(pool.submit(() -> new FamilyKiller(new ProcFs(o.proc()), signaller, floor,
              Set.of(Snapshot.INIT_PID), FamilyKiller.Limits.DEFAULT)
              .kill(plan.snapshot(), d.family(), k)));
        } else {
          pending.add(null);
        }
      }
      for (int i = 0; i < plan.decisions().size(); i++) {
        Decision d = plan.decisions().get(i);
        Future<KillOutcome> f = pending.get(i);
        reports.add(new RunReport.FamilyReport(d, f == null ? Optional.empty() : await(f)));
      }
    } finally {
      pool.shutdown();
    }
    return reports;
  }

  private static Optional<KillOutcome> await(Future<KillOutcome> f) {
    try {
      return Optional.of(f.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("kill failed: " + e.getCause(), e.getCause());
    }
  }

  private int report(Options o, RunReport r, PrintWriter out, PrintWriter err) {
    Set<Integer> uids = new HashSet<>();
    r.snapshot().details().values().forEach(
        d -> d.credentials().ifPresent(c -> uids.add(c.ruid())));
    env.accounts().resolve(uids);
    Accounts names = env.accounts();
    if (o.json()) {
      out.println(new JsonReport(names::name).render(r));
    } else if (!r.killMode()) {
      out.print(new Listing(names::name).render(r, o.verbose()));
    }
    if (r.killMode() && !r.selected().isEmpty()) {
      EventLines lines = new EventLines(names::name);
      try (EventLog log = env.syslog().apply(o.syslog())) {
        for (RunReport.FamilyReport f : r.selected()) {
          String line = lines.family(r, f);
          if (f.outcome().map(x -> x.status() == KillOutcome.Status.SURVIVED).orElse(false)) {
            log.error(line);
          } else {
            log.notice(line);
          }
          if (!o.quiet() && !o.json()) {
            out.println(line);
          }
        }
        String summary = lines.summary(r);
        log.notice(summary);
        if (!o.quiet() && !o.json()) {
          out.println(summary);
        }
        log.deliveryProblem().ifPresent(err::println);
      }
    }
    if (r.survivors() > 0) {
      err.println("orphan-reaper: " + r.survivors() + " process(es) survived SIGKILL");
      return ExitCode.SURVIVORS;
    }
    return ExitCode.OK;
  }

  private static int usage(PrintWriter err, String message) {
    err.println("orphan-reaper: " + message);
    return ExitCode.USAGE;
  }

  /** Fail closed: say why on stderr and, in kill mode, on syslog; kill nothing. */
  private int unsafe(Options o, PrintWriter err, String message) {
    err.println("orphan-reaper: " + message);
    if (!o.debug()) {
      try (EventLog log = env.syslog().apply(o.syslog())) {
        log.error(message);
        log.deliveryProblem().ifPresent(err::println);
      }
    }
    return ExitCode.UNSAFE;
  }
}
