package org.orphanreaper.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import org.orphanreaper.plan.HardFloor;
import org.orphanreaper.plan.Planner;
import org.orphanreaper.plan.RulePolicy;
import org.orphanreaper.proc.Accounts;
import org.orphanreaper.proc.Credentials;
import org.orphanreaper.proc.PendingScan;
import org.orphanreaper.proc.Part;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.ProcUnreadableException;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.report.Timings;
import org.orphanreaper.rules.Defaults;
import org.orphanreaper.rules.Evaluator;
import org.orphanreaper.rules.Facts;
import org.orphanreaper.rules.RuleSet;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.FamilyFinder;
import org.orphanreaper.tree.ProcessTree;

/**
 * What a run reads before it decides: the scan, then, guided by the tree, the batch systems and
 * the hard floor, the details of the processes whose verdict depends on them (batch daemons,
 * subreapers, every process's credentials where the scope or a tracking GID needs them, the
 * families' members, the batch systems' marks), read once each. The decision itself
 * ({@link org.orphanreaper.plan.Planner}) is a pure function of what this returns.
 */
final class Survey {

  private final Reaper.Environment env;
  private final Options o;

  Survey(Reaper.Environment env, Options o) {
    this.env = env;
    this.o = o;
  }

  /**
   * The scan and the decision up to the plan, shared by runs and --explain.
   *
   * @param settled the roots of the families the hard floor protects through their first
   *     member, whose other members were not read
   */
  record Decided(Snapshot snapshot, ProcessTree tree, List<Family> families,
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
  Decided decide(RuleSet rules, ProcFs procfs, PendingScan scan,
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
    snapshot = procfs.read(snapshot, first, Part.FULL_WITH_CGROUP);
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
    Set<Part> whole = cgroups ? Part.FULL_WITH_CGROUP : Part.FULL;
    // Every process's credentials, where the decision needs them all: before the families when
    // they are made of them (the lineage scope's strays; subreapers, found by their exe), else
    // once the families' members were read in full (each file is read once either way).
    boolean allExes = !subreapers.executables().isEmpty();
    boolean familiesOfAll = everyone && (lineage || allExes);
    if (familiesOfAll) {
      snapshot = everyProcess(procfs, snapshot, lineage, allExes);
    }
    Set<Integer> found = subreapers.find(snapshot);
    snapshot = confirm(procfs, snapshot, found, whole);
    Set<Integer> inits = new HashSet<>(Set.of(Snapshot.INIT_PID));
    inits.addAll(found);
    FamilyFinder finder = new FamilyFinder(inits);
    List<Family> families;
    if (lineage) {
      Set<Integer> anchored = Anchors.lineage(tree, new Anchors(rules.anchors()).find(snapshot));
      Set<Integer> strays = Anchors.strays(snapshot, anchored, inits, minUid);
      snapshot = confirm(procfs, snapshot, strays, whole);
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
    snapshot = procfs.read(snapshot, firsts, whole);
    Set<Integer> settled = new HashSet<>();
    Set<Integer> familyPids = new HashSet<>(firsts);
    List<Integer> unread = new ArrayList<>();
    for (Family f : families) {
      if (floor.protectsThroughFirst(snapshot, f).isPresent()) {
        settled.add(f.root().pid());
        f.members().forEach(m -> unread.add(m.proc().pid()));
      } else {
        familyPids.addAll(f.pids());
      }
    }
    snapshot = procfs.read(snapshot, familyPids, whole);
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
      snapshot = procfs.read(snapshot, unread, Set.of(Part.CGROUP));
    }
    timings.lap("describe");
    Set<Integer> asked = new HashSet<>(familyPids);
    if (everyone) {
      snapshot.processes().values().forEach(p -> {
        if (p.described()) {
          asked.add(p.pid());
        }
      });
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
    snapshot = confirm(procfs, snapshot, ended, whole);
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
      snapshot = procfs.read(snapshot, familyPids, whole);
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
    RulePolicy policy = new RulePolicy(
        new Evaluator(rules, new Facts(accounts::userName, accounts::groupName, evidence)),
        new RulePolicy.Overrides(o.signal(), o.killAfter(), o.cputime(), o.walltime(),
            o.epilogue()));
    return new Decided(snapshot, tree, families, settled, floor, policy, providers);
  }

  /**
   * The credentials of every process not read yet, and the exe of those verified by it later
   * (anchors, HTCondor's starters; every process's where subreapers are found by it), for the
   * lineage scope and the batch systems that tell jobs by GID. Stat is not read again (see
   * {@link #confirm}).
   */
  private static Snapshot everyProcess(ProcFs procfs, Snapshot s, boolean lineage,
      boolean allExes) {
    // Kernel threads are left out: they run with the kernel's credentials (no groups, uid 0),
    // have no exe, and the floor protects them whatever they are.
    List<Integer> user = new ArrayList<>(s.processes().size());
    for (Proc p : s.processes().values()) {
      if (!p.kernelThread() && !s.vanished(p.pid())) {
        user.add(p.pid());
      }
    }
    Snapshot read = procfs.read(s, user, Set.of(Part.STATUS));
    List<Integer> exes = new ArrayList<>();
    for (int pid : user) {
      Proc p = read.processes().get(pid);
      Optional<Credentials> c = read.get(pid).flatMap(Proc::credentials);
      if (allExes || lineage && Anchors.mayBe(c) || BatchSystems.mayBeStarter(p, c)) {
        exes.add(pid);
      }
    }
    return procfs.read(read, exes, Set.of(Part.EXE));
  }


  /**
   * Reads {@code seeds} in full and removes from it those found gone. Processes are chosen as
   * subreapers, strays or leftovers by what was read of every process without a start-time
   * check ({@link ProcFs#read} of the status alone): a pid reused since the scan would lend
   * another process's credentials, exe or cgroups to the process the scan saw, and a family
   * would be built around it (its members, its age). A full read checks the start time after
   * everything else, so what it keeps was read of the process the scan saw. They are families'
   * members, which are read in full anyway.
   */
  private static Snapshot confirm(ProcFs procfs, Snapshot s, Set<Integer> seeds,
      Set<Part> whole) {
    if (seeds.isEmpty()) {
      return s;
    }
    Snapshot read = procfs.read(s, seeds, whole);
    seeds.removeIf(read::vanished);
    return read;
  }

  /** Adds the real and effective uids and every gid of {@code pids}' credentials. */
  private static void credentialIds(Snapshot s, Set<Integer> pids, Set<Long> uids,
      Set<Integer> gids) {
    for (int pid : pids) {
      s.get(pid).flatMap(Proc::credentials).ifPresent(c -> {
        uids.add(c.ruid());
        uids.add(c.euid());
        gids.add(c.rgid());
        gids.add(c.egid());
        gids.addAll(c.groups());
      });
    }
  }
}
