package org.orphanreaper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.orphanreaper.act.Containment;
import org.orphanreaper.act.FamilyKiller;
import org.orphanreaper.act.KillsInProgress;
import org.orphanreaper.act.SharedScans;
import org.orphanreaper.act.StopJournal;
import org.orphanreaper.act.Signaller;
import org.orphanreaper.act.SignallingUnavailable;
import org.orphanreaper.act.SignallingPath;
import org.orphanreaper.evidence.Anchors;
import org.orphanreaper.evidence.BatchSystems;
import org.orphanreaper.evidence.BudgetedRunner;
import org.orphanreaper.evidence.CommandRunner;
import org.orphanreaper.evidence.Evidence;
import org.orphanreaper.evidence.EvidenceProvider;
import org.orphanreaper.evidence.EvidenceUnavailable;
import org.orphanreaper.evidence.JobState;
import org.orphanreaper.evidence.KnownRunning;
import org.orphanreaper.evidence.Subreapers;
import org.orphanreaper.plan.CircuitBreaker;
import org.orphanreaper.plan.Decision;
import org.orphanreaper.plan.Grace;
import org.orphanreaper.plan.HardFloor;
import org.orphanreaper.plan.Plan;
import org.orphanreaper.plan.Planner;
import org.orphanreaper.plan.Explainer;
import org.orphanreaper.plan.Explanation;
import org.orphanreaper.plan.RulePolicy;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.proc.Accounts;
import org.orphanreaper.proc.ProcDetails;
import org.orphanreaper.proc.PendingScan;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.ProcUnreadableException;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.report.AuditTrail;
import org.orphanreaper.report.ExplainReport;
import org.orphanreaper.report.PolicyYaml;
import org.orphanreaper.report.EventLog;
import org.orphanreaper.report.JsonReport;
import org.orphanreaper.report.Listing;
import org.orphanreaper.report.RunReport;
import org.orphanreaper.report.SyslogSettings;
import org.orphanreaper.report.GraceStateFile;
import org.orphanreaper.report.IoProblem;
import org.orphanreaper.report.Timings;
import org.orphanreaper.report.accounting.AccountingLog;
import org.orphanreaper.report.accounting.ReasonCode;
import org.orphanreaper.report.metrics.Metrics;
import org.orphanreaper.report.metrics.MetricsFile;
import org.orphanreaper.rules.Defaults;
import org.orphanreaper.rules.Evaluator;
import org.orphanreaper.rules.Facts;
import org.orphanreaper.rules.RuleSet;
import org.orphanreaper.rules.RulesException;
import org.orphanreaper.rules.RulesFile;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.FamilyFinder;
import org.orphanreaper.tree.ProcessTree;

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
          org.orphanreaper.report.syslog.Syslog::open,
          org.orphanreaper.act.Signallers::forLiveSystem,
          Accounts.system(),
          RulesFile.SYSTEM,
          CommandRunner.LIVE,
          System::nanoTime);
    }
  }

  /** The accounting reason code of each way a family becomes a candidate (LSF's TERM_*). */
  private static final Map<Family.Origin, ReasonCode> REASON_CODES = Map.of(
      Family.Origin.ORPHAN, ReasonCode.TERM_ORPHAN,
      Family.Origin.LINEAGE, ReasonCode.TERM_LINEAGE,
      Family.Origin.JOB_MARK, ReasonCode.TERM_JOB_GID);

  /**
   * Families killed at once. Most of a kill is waiting (for a pen to freeze, for the dead to be
   * reaped, for a re-scan the kills share), so many threads cost little and let one re-scan
   * serve many families.
   */
  private static final int KILL_THREADS = 32;

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
        recoverJournal(o, err);
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
   * A run that died mid-kill without its shutdown hook (SIGKILL, the OOM killer) left its
   * journal: whatever the rules say now, what it stopped or penned is resumed first, and said.
   */
  private void recoverJournal(Options o, PrintWriter err) {
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
    failedMetrics(o, err, "rules");
    if (kill) {
      try (EventLog log = env.syslog().apply(o.syslog())) {
        log.error(summary);
        log.deliveryProblem().ifPresent(err::println);
      }
    }
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
      failedMetrics(o, err, "files");
    }
    if (kill) {
      try (EventLog log = env.syslog().apply(o.syslog())) {
        lines.forEach(log::error);
        log.deliveryProblem().ifPresent(err::println);
      }
    }
    return ExitCode.USAGE;
  }

  /**
   * The scan and the decision up to the plan, shared by runs and --explain.
   *
   * @param settled the roots of the families the hard floor protects through their first
   *     member, whose other members were not read
   */
  private record Decided(Snapshot snapshot, ProcessTree tree, List<Family> families,
      Set<Integer> settled, HardFloor floor, RulePolicy policy, List<EvidenceProvider> batch) {

    /** What a batch system could not be asked; the families it concerns are not judged. */
    List<String> problems() {
      List<String> out = new ArrayList<>();
      batch.forEach(p -> out.addAll(p.problems()));
      return out;
    }
  }

  /**
   * @param explainPid a process to describe with its ancestors even outside every family
   * @param warnings where a preview says what it could not see
   */
  private Decided decide(Options o, RuleSet rules, ProcFs procfs, PendingScan scan,
      int explainPid, Timings timings, PrintWriter warnings)
      throws ProcUnreadableException, EvidenceUnavailable {
    Snapshot snapshot = scan.await();
    timings.lap("scan");
    ProcessTree tree = new ProcessTree(snapshot);
    Accounts accounts = env.accounts();
    long minUid = o.minUid().orElseGet(
        () -> rules.defaults().minUid().orElseGet(accounts::uidMin));
    boolean lineage = o.epilogue() || rules.defaults().scope() == Defaults.Scope.LINEAGE;
    // First the processes that decide what the families are: batch daemons and subreapers in
    // full and, for the lineage scope, every process's credentials (see everyProcess).
    BatchSystems batch = BatchSystems.of(snapshot);
    Set<Integer> first = new HashSet<>(batch.candidates());
    if (explainPid > 0) {
      first.addAll(tree.ancestry(explainPid));
    }
    boolean everyone = lineage || batch.needsEveryProcess(snapshot);
    Subreapers subreapers = new Subreapers(rules.subreapers());
    first.addAll(subreapers.candidates(snapshot));
    snapshot = procfs.describe(snapshot, first, true);
    List<String> unverifiable = batch.unverifiable(snapshot);
    if (!unverifiable.isEmpty()) {
      String what = "cannot verify " + String.join(", ", unverifiable)
          + ": the executable cannot be read";
      if (!o.debug() && o.explain().isEmpty()) {
        throw new EvidenceUnavailable(what); // kill mode: its jobs could not be protected
      }
      warnings.println("orphan-reaper: " + what + " (run as root to see it), so its jobs' "
          + "processes are not protected in this preview");
    }
    // Every batch-system call of the run shares one budget: a hung batch system costs it that,
    // not one time limit per call.
    CommandRunner calls = new BudgetedRunner(env.batch(), BatchSystems.BUDGET, env.batchClock());
    List<EvidenceProvider> providers =
        batch.detect(snapshot, calls, procfs::cwd, procfs.hostname(), rules.slurmBin());
    boolean slurmMarks = batch.needsCgroups(snapshot);
    // scontrol listpids names the running jobs' processes (see below) while the families are read.
    Optional<KnownRunning> running = slurmMarks
        ? Optional.of(KnownRunning.ask(providers)) : Optional.empty();
    boolean cgroups = explainPid > 0 || rules.usesCgroups() || slurmMarks;
    // Every process's credentials, where the decision needs them all: before the families when
    // they are made of them (the lineage scope's strays; subreapers, found by their exe), else
    // once the families' members were read in full, which are then not read again, and the
    // details of every process are not copied with each describe of members.
    boolean allExes = !subreapers.executables().isEmpty();
    boolean familiesOfAll = everyone && (lineage || allExes);
    if (familiesOfAll) {
      snapshot = everyProcess(procfs, snapshot, lineage, allExes);
    }
    Set<Integer> found = subreapers.find(snapshot);
    snapshot = confirm(procfs, snapshot, found, cgroups);
    Set<Integer> inits = new HashSet<>(Set.of(Snapshot.INIT_PID));
    inits.addAll(found);
    FamilyFinder finder = new FamilyFinder(inits);
    List<Family> families;
    if (lineage) {
      Set<Integer> anchored = Anchors.lineage(tree, new Anchors(rules.anchors()).find(snapshot));
      Set<Integer> strays = Anchors.strays(snapshot, anchored, inits, minUid);
      snapshot = confirm(procfs, snapshot, strays, cgroups);
      families = finder.around(tree, strays, Set.of(), Family.Origin.LINEAGE);
    } else {
      families = finder.orphans(tree);
    }
    timings.lap("families");
    // A family the hard floor protects through its first member is decided by that member alone.
    // On a Slurm node every job is such a family, below a root slurmstepd whose parent is init
    // and whose session is its own, as is every system service: reading all their members would
    // cost more than the rest of the run. Only the other families are read whole.
    HardFloor floor = HardFloor.of(minUid, tree);
    List<Integer> firsts = new ArrayList<>(families.size());
    families.forEach(f -> firsts.add(f.root().pid()));
    snapshot = procfs.describe(snapshot, firsts, cgroups);
    Set<Integer> settled = new HashSet<>();
    Set<Integer> familyPids = new HashSet<>(firsts);
    List<Integer> unread = new ArrayList<>();
    for (Family f : families) {
      if (floor.protectsThroughFirst(snapshot, f).isPresent()) {
        settled.add(f.root().pid());
        f.members().forEach(m -> unread.add(m.stat().pid()));
      } else {
        familyPids.addAll(f.pids());
      }
    }
    snapshot = procfs.describe(snapshot, familyPids, cgroups);
    if (everyone && !familiesOfAll) {
      snapshot = everyProcess(procfs, snapshot, lineage, allExes);
    }
    // The families' user names are asked for from the plan on; a getent for those missing from
    // /etc/passwd runs from now on beside the evidence stage (and the plan, when no rule names
    // users).
    Set<Long> familyUids = new HashSet<>();
    credentialIds(snapshot, familyPids, familyUids, new HashSet<>());
    accounts.resolve(familyUids);
    // Slurm marks a job's processes by their cgroup alone: the unread members' cgroups are
    // read (one file each, not five), so that a leftover of an ended job below a live root
    // process (an ssh session adopted into the job, a stuck slurmstepd) is still found. Those
    // scontrol listpids names are in a running job whatever their cgroup says, and on a Slurm
    // node they are nearly all: it was asked while the families were read, and only the
    // others' cgroups are read. (squeue, which judges the cgroups, is asked after them, below.)
    if (running.isPresent()) {
      Set<Integer> known = running.get().await();
      unread.removeIf(known::contains);
      snapshot = procfs.describeCgroups(snapshot, unread);
    }
    timings.lap("describe");
    Set<Integer> asked = new HashSet<>(familyPids);
    if (everyone) {
      asked.addAll(snapshot.details().keySet());
    }
    if (slurmMarks) {
      asked.addAll(unread);
    }
    Evidence marked = Evidence.collect(providers, snapshot, asked);
    // Leftovers of ended jobs are selected through their mark even when nothing orphaned them,
    // or when they sit in a family the hard floor keeps whole (a user process under cron).
    Set<Integer> actionable = new HashSet<>();
    for (Family f : families) {
      if (floor.protects(snapshot, f).isEmpty()) {
        actionable.addAll(f.pids());
      }
    }
    Set<Integer> ended = new HashSet<>();
    marked.marks().keySet().forEach(pid -> marked.stateOf(pid)
        .filter(st -> st == JobState.ENDED).ifPresent(st -> ended.add(pid)));
    ended.removeAll(actionable);
    snapshot = confirm(procfs, snapshot, ended, cgroups);
    Evidence evidence = marked;
    if (!ended.isEmpty()) {
      List<Family> leftovers = finder.around(tree, ended, actionable, Family.Origin.JOB_MARK);
      families = new java.util.ArrayList<>(families);
      families.addAll(leftovers);
      Set<Integer> unasked = new HashSet<>();
      for (Family f : leftovers) {
        familyPids.addAll(f.pids());
        f.pids().stream().filter(pid -> !asked.contains(pid)).forEach(unasked::add);
      }
      snapshot = procfs.describe(snapshot, familyPids, cgroups);
      // A leftover's descendants were not all asked about: those scontrol listpids named as a
      // running job's were read no further. Their marks are asked for now (their cgroups were
      // just read, so Slurm's job states are asked again), since a process of a running job
      // protects whatever family it turns up in.
      if (!unasked.isEmpty()) {
        evidence = marked.and(Evidence.collect(providers, snapshot, unasked));
      }
    }
    Set<Long> uids = new HashSet<>();
    Set<Integer> gids = new HashSet<>();
    credentialIds(snapshot, familyPids, uids, gids);
    accounts.resolve(uids);
    if (rules.usesGroupNames()) {
      accounts.resolveGroups(gids);
    }
    timings.lap("evidence");
    ProcessTree described = tree.with(snapshot);
    RulePolicy policy = new RulePolicy(
        new Evaluator(rules, new Facts(accounts::userName, accounts::groupName, evidence)),
        new RulePolicy.Overrides(o.signal(), o.killAfter(), o.cputime(), o.walltime(),
            o.epilogue()));
    return new Decided(snapshot, described, families, settled, floor, policy, providers);
  }

  /**
   * The credentials of every process not read yet, and the exe of those verified by it later
   * (anchors, HTCondor's starters; every process's where subreapers are found by it), for the
   * lineage scope and the batch systems that tell jobs by GID. Stat is not read again (see
   * {@link #confirm}).
   */
  private static Snapshot everyProcess(ProcFs procfs, Snapshot s, boolean lineage,
      boolean allExes) {
    return procfs.describeCredentials(s, s.processes().keySet(),
        (p, c) -> allExes || lineage && Anchors.mayBe(c) || BatchSystems.mayBeStarter(p, c));
  }

  /**
   * Reads {@code seeds} in full and removes from it those found gone. Processes are chosen as
   * subreapers, strays or leftovers by what was read of every process ({@link
   * ProcFs#describeCredentials}, {@link ProcFs#describeCgroups}), which checks no start time:
   * a pid reused since the scan would lend another process's credentials, exe or cgroups to
   * the process the scan saw, and a family would be built around it (its members, its age).
   * A full describe reads stat again after everything else, so what it keeps was read of the
   * process the scan saw. They are families' members, which are read in full anyway.
   */
  private static Snapshot confirm(ProcFs procfs, Snapshot s, Set<Integer> seeds,
      boolean cgroups) {
    if (seeds.isEmpty()) {
      return s;
    }
    Snapshot read = procfs.describe(s, seeds, cgroups);
    seeds.removeIf(read.vanished()::contains);
    return read;
  }

  /** Adds the real and effective uids and every gid of {@code pids}' credentials. */
  private static void credentialIds(Snapshot s, Set<Integer> pids, Set<Long> uids,
      Set<Integer> gids) {
    for (int pid : pids) {
      s.detailsOf(pid).flatMap(ProcDetails::credentials).ifPresent(c -> {
        uids.add(c.ruid());
        uids.add(c.euid());
        gids.add(c.rgid());
        gids.add(c.egid());
        gids.addAll(c.groups());
      });
    }
  }

  private int explain(Options o, ProcFs procfs, PendingScan scan, RuleSet rules,
      PrintWriter out, PrintWriter err) {
    int pid = o.explain().getAsInt();
    Decided d;
    try {
      d = decide(o, rules, procfs, scan, pid, new Timings(), err);
    } catch (ProcUnreadableException | EvidenceUnavailable e) {
      return unsafe(o, err, e.getMessage());
    }
    // The whole plan, grace state read but never written: a family's trail is the one a run
    // would take, the circuit breaker's count of every family's kills included.
    Plan plan = plan(o, rules, procfs, d, grace(o, rules, false));
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
    Decided d;
    try {
      d = decide(o, rules, procfs, scan, -1, timings, err);
    } catch (ProcUnreadableException | EvidenceUnavailable e) {
      return unsafe(o, err, e.getMessage() + "; nothing was killed");
    }
    Grace grace = grace(o, rules, kill);
    Plan plan = plan(o, rules, procfs, d, grace);
    Map<String, Integer> errors = new TreeMap<>();
    boolean graceCounted = !Grace.used(rules) || rememberGrace(o, plan, grace, kill, err, errors);
    Optional<String> tripped = plan.heldBack();
    timings.lap("plan");
    if (kill && tripped.isPresent()) {
      return unsafe(o, err, "circuit breaker: " + tripped.get() + "; nothing was killed");
    }
    List<String> unjudged = unjudged(d.problems(), plan);
    if (!unjudged.isEmpty()) {
      errors.merge("evidence", d.problems().size(), Integer::sum);
      unjudged.forEach(p -> err.println("orphan-reaper: " + p));
      if (kill) {
        try (EventLog log = env.syslog().apply(o.syslog())) {
          unjudged.forEach(log::error);
          log.deliveryProblem().ifPresent(err::println);
        }
      }
    }

    boolean logs = kill && plan.decisions().stream()
        .anyMatch(x -> x.kills() || x.verdict() instanceof Verdict.Report);
    RunReport report;
    int exit;
    try (AuditTrail audit = logs ? audit(o, procfs.hostname(), started, d.snapshot(), out)
        : null) {
      StopJournal journal = kill && !plan.kills().isEmpty() ? journal(o, err, audit) : null;
      List<RunReport.FamilyReport> reports = journal != null
          ? act(o, plan, d.floor(), d.settled(), err, audit, journal)
          : plan.decisions().stream()
              .map(x -> new RunReport.FamilyReport(x, Optional.empty(), kill,
                  !d.settled().contains(x.family().root().pid()))).toList();
      timings.lap("act");
      report = new RunReport(procfs.hostname(), started, kill, d.snapshot(), reports);
      exit = report(o, report, out, err, errors, audit);
      if (journal != null && journal.failed()) {
        // every kill that needed it was called off: the families are still there
        errors.merge("journal", 1, Integer::sum);
        exit = exit == ExitCode.OK ? ExitCode.UNSAFE : exit;
      }
    }
    o.metrics().ifPresent(file -> writeMetrics(file,
        Metrics.of(report, Duration.between(started, Instant.now()), errors), err));
    timings.lap("report");
    if (o.timings()) {
      err.println(timings.line());
    }
    if (tripped.isPresent()) {
      err.println("orphan-reaper: circuit breaker: " + tripped.get()
          + "; kill mode would kill nothing");
      return ExitCode.UNSAFE;
    }
    return exit == ExitCode.OK && (!unjudged.isEmpty() || !graceCounted) ? ExitCode.UNSAFE : exit;
  }

  /** Families listed one a line beyond this are summed up in one more. */
  private static final int UNJUDGED_LINES = 20;

  /**
   * What the batch systems could not be asked, then each family left alone for it, the
   * families bounded to {@link #UNJUDGED_LINES} lines: empty when everything could be asked.
   */
  private static List<String> unjudged(List<String> problems, Plan plan) {
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
          + org.orphanreaper.report.Escape.text(x.verdict().reason()));
    }
    if (held.size() > UNJUDGED_LINES) {
      out.add((held.size() - UNJUDGED_LINES) + " more families were not killed for the same"
          + " reasons");
    }
    out.add(held.size() + " famil" + (held.size() == 1 ? "y" : "ies") + " not judged; the"
        + " others were judged as usual");
    return out;
  }

  /** The one decision procedure over what {@link #decide} found: runs and --explain alike. */
  private static Plan plan(Options o, RuleSet rules, ProcFs procfs, Decided d, Grace grace) {
    CircuitBreaker breaker = new CircuitBreaker(rules.defaults().maxKillsPerRun(),
        rules.defaults().maxFraction(), !o.epilogue());
    return new Planner(d.floor(), d.policy(), grace, breaker).plan(d.snapshot(), d.families(),
        () -> procfs.userProcesses(d.snapshot(), d.floor().minUid()));
  }

  /**
   * The first sightings of families in their grace, read only when a rule waits. A state that
   * cannot be read restarts every grace (never shortens one).
   *
   * @param replacing whether this run writes the state afterwards (kill mode)
   */
  private static Grace grace(Options o, RuleSet rules, boolean replacing) {
    if (!Grace.used(rules)) {
      return Grace.none(Instant.now());
    }
    GraceStateFile.Loaded loaded = new GraceStateFile(o.state()).read(replacing);
    return new Grace(loaded.firstSeen(), Instant.now(), loaded.problem());
  }

  /**
   * Kill mode remembers the plan's first sightings; a state that could not be read or written
   * is reported. One that cannot be written (a full or read-only /var) keeps every family first
   * seen from now on in its grace for as long as that lasts: said with what it means, and the
   * run exits 4, while the families outside every grace are acted on as usual.
   *
   * @return false when kill mode could not save the sightings
   */
  private boolean rememberGrace(Options o, Plan plan, Grace grace, boolean kill,
      PrintWriter err, Map<String, Integer> errors) {
    List<String> problems = new ArrayList<>();
    grace.stateProblem().ifPresent(problems::add);
    boolean saved = true;
    if (kill) {
      try {
        new GraceStateFile(o.state()).write(plan.graceState());
      } catch (IOException e) {
        saved = false;
        problems.add("cannot write grace state " + o.state() + ": " + IoProblem.describe(e)
            + "; grace cannot be counted: nothing under a grace will be killed until "
            + o.state().toAbsolutePath().getParent() + " is writable"
            + (grace.firstSeen().isEmpty() ? "" : " (families first seen in earlier runs"
                + " still count)"));
      }
    }
    if (!problems.isEmpty()) {
      errors.merge("state", problems.size(), Integer::sum);
      problems.forEach(p -> err.println("orphan-reaper: " + p));
      if (kill) {
        try (EventLog log = env.syslog().apply(o.syslog())) {
          problems.forEach(log::error);
          log.deliveryProblem().ifPresent(err::println);
        }
      }
    }
    return saved;
  }

  /** Where kill mode records each family as it finishes, syslog opened once for the run. */
  private AuditTrail audit(Options o, String host, Instant started, Snapshot snapshot,
      PrintWriter out) {
    return new AuditTrail(host, started, snapshot, env.syslog().apply(o.syslog()),
        new AccountingLog(o.accounting(), AccountingLog.DEFAULT_MAX_BYTES,
            AccountingLog.DEFAULT_KEEP), env.accounts()::name,
        f -> REASON_CODES.get(f.decision().family().origin()),
        o.quiet() || o.json() ? Optional.empty() : Optional.of(out));
  }

  /**
   * Kills the plan's families in two rounds: every family is pinned and gets its first signal,
   * then every family's grace is waited out and what is left killed, each recorded as it
   * finishes. So all families wait their --kill-after together: the run takes about one grace,
   * however many families ignore TERM.
   */
  private List<RunReport.FamilyReport> act(Options o, Plan plan, HardFloor floor,
      Set<Integer> settled, PrintWriter err, AuditTrail audit, StopJournal journal) {
    ExecutorService pool = Executors.newFixedThreadPool(
        Math.min(KILL_THREADS, plan.kills().size()));
    // Stopped mid-kill (SIGTERM, SIGINT, SIGHUP), the run resumes what it stopped before it
    // exits: a family left in state T would stay frozen, and the next run leave it so.
    KillsInProgress inProgress = new KillsInProgress();
    Containment containment = Containment.of(o.containment(), Options.LIVE_PROC);
    Thread resume = new Thread(() -> {
      int n = inProgress.stopAndResume();
      err.println("orphan-reaper: stopped during a kill; signalling ended, " + n
          + " stopped process(es) resumed");
      containment.close();
      closeJournal(journal, err);
      err.flush();
    }, "resume-on-exit");
    Runtime.getRuntime().addShutdownHook(resume);
    try (Signaller signaller = env.signallers().apply(o.proc())) {
      ProcFs procfs = new ProcFs(o.proc());
      FamilyKiller killer = new FamilyKiller(procfs, signaller, floor,
          Set.of(Snapshot.INIT_PID), FamilyKiller.Limits.DEFAULT, inProgress, containment,
          journal, new SharedScans(procfs));
      List<Future<FamilyKiller.Begun>> begun = new ArrayList<>();
      for (Decision d : plan.decisions()) {
        begun.add(d.verdict() instanceof Verdict.Kill k
            ? pool.submit(() -> killer.begin(plan.snapshot(), d.family(), k)) : null);
      }
      List<Future<RunReport.FamilyReport>> finished = new ArrayList<>();
      for (int i = 0; i < plan.decisions().size(); i++) {
        Decision d = plan.decisions().get(i);
        Future<FamilyKiller.Begun> b = begun.get(i);
        boolean read = !settled.contains(d.family().root().pid());
        finished.add(b == null ? null : pool.submit(() -> {
          RunReport.FamilyReport f = new RunReport.FamilyReport(d,
              Optional.of(await(b).finish()), true, read);
          audit.family(f);
          return f;
        }));
      }
      List<RunReport.FamilyReport> reports = new ArrayList<>();
      for (int i = 0; i < plan.decisions().size(); i++) {
        Decision d = plan.decisions().get(i);
        reports.add(finished.get(i) != null ? await(finished.get(i))
            : new RunReport.FamilyReport(d, Optional.empty(), true,
                !settled.contains(d.family().root().pid())));
      }
      return reports;
    } finally {
      pool.shutdown();
      try {
        Runtime.getRuntime().removeShutdownHook(resume);
      } catch (IllegalStateException e) {
        // shutting down already: the hook runs
      }
      containment.close();
      closeJournal(journal, err);
    }
  }

  private static void closeJournal(StopJournal journal, PrintWriter err) {
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
  private static StopJournal journal(Options o, PrintWriter err, AuditTrail audit) {
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

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("kill failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * @param errors filled with the number of problems per kind, for the metrics
   * @param audit where kill mode recorded the families it acted on; null when none is logged
   */
  private int report(Options o, RunReport r, PrintWriter out, PrintWriter err,
      Map<String, Integer> errors, AuditTrail audit) {
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
  private static void failedMetrics(Options o, PrintWriter err, String kind) {
    o.metrics().ifPresent(file -> writeMetrics(file, Metrics.failed(Instant.now(), kind), err));
  }

  /** A metrics file that cannot be written is said on stderr; the run goes on as it would. */
  private static void writeMetrics(Path file, String text, PrintWriter err) {
    try {
      MetricsFile.write(file, text);
    } catch (IOException e) {
      err.println("orphan-reaper: " + e.getMessage()); // "metrics: cannot write FILE: why"
    }
  }

  private static int usage(PrintWriter err, String message) {
    err.println("orphan-reaper: " + message);
    return ExitCode.USAGE;
  }

  /** Fail closed: say why on stderr and, in kill mode, on syslog; kill nothing. */
  private int unsafe(Options o, PrintWriter err, String message) {
    err.println("orphan-reaper: " + message);
    failedMetrics(o, err, "unsafe");
    if (!o.debug()) {
      try (EventLog log = env.syslog().apply(o.syslog())) {
        log.error(message);
        log.deliveryProblem().ifPresent(err::println);
      }
    }
    return ExitCode.UNSAFE;
  }
}
