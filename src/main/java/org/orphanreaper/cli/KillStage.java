package org.orphanreaper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orphanreaper.act.Containment;
import org.orphanreaper.act.FamilyKiller;
import org.orphanreaper.act.KillOutcome;
import org.orphanreaper.act.KillsInProgress;
import org.orphanreaper.act.Signaller;
import org.orphanreaper.act.StopJournal;
import org.orphanreaper.base.IoProblem;
import org.orphanreaper.plan.Decision;
import org.orphanreaper.plan.HardFloor;
import org.orphanreaper.plan.Plan;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.sink.AuditTrail;
import org.orphanreaper.sink.syslog.EventLog;
import org.orphanreaper.report.RunReport;

/**
 * The acting stage of a kill-mode run: what a run that died mid-kill left is resumed first,
 * then the plan's families are killed under a journal, each recorded as it finishes, and a run
 * stopped meanwhile puts back what it stopped.
 */
final class KillStage {

  private final Reaper.Environment env;
  private final Options o;
  private final PrintWriter err;

  KillStage(Reaper.Environment env, Options o, PrintWriter err) {
    this.env = env;
    this.o = o;
    this.err = err;
  }

  /**
   * A run that died mid-kill without its shutdown hook (SIGKILL, the OOM killer) left its
   * journal: whatever the rules say now, what it stopped or penned is resumed first, and said.
   */
  void recoverJournal() {
    Optional<StopJournal.Recovery> r;
    try (Signaller signaller = env.signallers().apply(o.proc())) {
      r = StopJournal.recover(StopJournal.besideLock(o.lock()), new ProcFs(o.proc()), signaller);
    }
    if (r.isEmpty() || !r.get().anything()) {
      return;
    }
    String message = "a previous run ended mid-kill: " + r.get().resumed()
        + " stopped process(es) resumed, " + r.get().released()
        + " process(es) moved out of its cgroups (journal "
        + StopJournal.besideLock(o.lock()) + ")";
    err.println("orphan-reaper: " + message);
    r.get().problems().forEach(p -> err.println("orphan-reaper: journal: " + p));
    try (EventLog log = env.syslog().apply(o.syslog())) {
      log.notice(message);
      r.get().problems().forEach(p -> log.error("journal: " + p));
      log.deliveryProblem().ifPresent(err::println);
    }
  }

  /** The key under which {@link #run} counts a journal that failed, in the run's errors. */
  static final String JOURNAL_FAILED = "journal";

  /**
   * What the run does with its plan, each decision's report: in kill mode, the families with a
   * Kill verdict are killed ({@link #act}) under this run's journal; in a preview, or when
   * nothing is to be killed, the decisions are reported as they stand. A journal that failed
   * called off every kill that needed it (the families are still there): that is counted in
   * {@code errors}.
   *
   * @param audit where kill mode records each family; null when nothing is logged
   */
  List<RunReport.FamilyReport> run(Plan plan, HardFloor floor, Set<Integer> settled,
      AuditTrail audit, Map<String, Integer> errors) {
    boolean kill = !o.debug();
    if (!kill || plan.kills().isEmpty()) {
      return plan.decisions().stream().map(d -> new RunReport.FamilyReport(d, Optional.empty(),
          kill, !settled.contains(d.family().root().pid()))).toList();
    }
    StopJournal journal = journal(audit);
    List<RunReport.FamilyReport> reports = act(plan, floor, settled, audit, journal);
    if (journal.failed()) {
      errors.merge(JOURNAL_FAILED, 1, Integer::sum);
    }
    return reports;
  }

  /**
   * Kills the plan's families, all in step (every family pinned and given its first signal,
   * then each grace waited out and what is left killed), each recorded as it finishes. So all
   * families wait their --kill-after together: the run takes about one grace, however many
   * families ignore TERM.
   */
  private List<RunReport.FamilyReport> act(Plan plan, HardFloor floor, Set<Integer> settled,
      AuditTrail audit, StopJournal journal) {
    // Stopped mid-kill (SIGTERM, SIGINT, SIGHUP), the run resumes what it stopped before it
    // exits: a family left in state T would stay frozen, and the next run leave it so.
    KillsInProgress inProgress = new KillsInProgress();
    Containment containment = Containment.of(o.containment(), Options.LIVE_PROC);
    Thread resume = new Thread(() -> {
      int n = inProgress.stopAndResume();
      err.println("orphan-reaper: stopped during a kill; signalling ended, " + n
          + " stopped process(es) resumed");
      containment.close();
      closeJournal(journal);
      err.flush();
    }, "resume-on-exit");
    Runtime.getRuntime().addShutdownHook(resume);
    try (Signaller signaller = env.signallers().apply(o.proc())) {
      FamilyKiller killer = new FamilyKiller(new ProcFs(o.proc()), signaller, floor,
          Set.of(Snapshot.INIT_PID), FamilyKiller.Limits.DEFAULT, inProgress, containment,
          journal);
      List<Decision> killed = new ArrayList<>();
      List<FamilyKiller.Order> orders = new ArrayList<>();
      for (Decision d : plan.decisions()) {
        if (d.verdict() instanceof Verdict.Kill k) {
          killed.add(d);
          orders.add(new FamilyKiller.Order(d.family(), k));
        }
      }
      List<KillOutcome> outcomes = killer.killAll(plan.snapshot(), orders, (i, outcome) ->
          audit.family(report(killed.get(i), Optional.of(outcome), settled)));
      // (the orders were made in the plan's order: the n-th kill is the n-th Kill verdict)
      List<RunReport.FamilyReport> reports = new ArrayList<>();
      int n = 0;
      for (Decision d : plan.decisions()) {
        Optional<KillOutcome> outcome = d.verdict() instanceof Verdict.Kill
            ? Optional.of(outcomes.get(n++)) : Optional.empty();
        reports.add(report(d, outcome, settled));
      }
      return reports;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(resume);
      } catch (IllegalStateException e) {
        // shutting down already: the hook runs
      }
      containment.close();
      closeJournal(journal);
    }
  }

  private static RunReport.FamilyReport report(Decision d, Optional<KillOutcome> outcome,
      Set<Integer> settled) {
    return new RunReport.FamilyReport(d, outcome, true,
        !settled.contains(d.family().root().pid()));
  }

  private void closeJournal(StopJournal journal) {
    try {
      journal.close();
    } catch (IOException e) {
      err.println("orphan-reaper: cannot remove the journal: " + e.getMessage());
    }
  }

  /**
   * The journal of this run's kills. One that cannot be created records nothing, and every
   * kill is called off before its first SIGSTOP: a run that died then would leave a family
   * stopped with nothing to tell the next run.
   */
  private StopJournal journal(AuditTrail audit) {
    Path file = StopJournal.besideLock(o.lock());
    try {
      return StopJournal.create(file);
    } catch (IOException e) {
      String message = "cannot create the journal " + file + ": " + IoProblem.describe(e)
          + "; no family is stopped or killed until it can be written";
      err.println("orphan-reaper: " + message);
      audit.error(message);
      return StopJournal.unwritable(file, e);
    }
  }
}
