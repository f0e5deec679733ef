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
    Reading r = new Reading(rules, procfs, snapshot, explainPid);
    r.batchSystems(warnings);
    r.families();
    timings.lap("families");
    r.members();
    timings.lap("describe");
    Evidence evidence = r.marks();
    r.names();
    timings.lap("evidence");
    RulePolicy policy = new RulePolicy(
        new Evaluator(rules, new Facts(env.accounts()::userName, env.accounts()::groupName,
            evidence)),
        new RulePolicy.Overrides(o.signal(), o.killAfter(), o.cputime(), o.walltime(),
            o.epilogue()));
    return new Decided(snapshot, r.tree, r.families, r.settled, r.floor, policy, r.providers);
  }

  /**
   * One run's reads, step by step: each step reads into the one snapshot what the next needs,
   * and every file of a process at most once.
   */
  private final class Reading {
    private final RuleSet rules;
    private final ProcFs procfs;
    private final Snapshot snapshot;
    private final int explainPid;
    private final ProcessTree tree;
    private final long minUid;
    private final boolean lineage;
    private final Subreapers subreapers;
    /** Every process's credentials are read: the lineage scope, or batch systems with GIDs. */
    private boolean everyone;
    /** ... and before the families, which are made of them. */
    private boolean familiesOfAll;
    /** Subreapers are found by their exe: every process's is read. */
    private final boolean allExes;
    private List<EvidenceProvider> providers;
    private boolean slurmMarks;
    private Optional<KnownRunning> running = Optional.empty();
    /** What a process whose verdict is asked for is read in full with. */
    private Set<Part> whole;
    private FamilyFinder finder;
    private List<Family> families;
    private HardFloor floor;
    /** The roots of the families the hard floor protects through their first member. */
    private final Set<Integer> settled = new HashSet<>();
    /** The members of every other family, read in full. */
    private final Set<Integer> familyPids = new HashSet<>();
    /** The members of the settled families past their first, not read in full. */
    private final List<Integer> unread = new ArrayList<>();

    Reading(RuleSet rules, ProcFs procfs, Snapshot snapshot, int explainPid) {
      this.rules = rules;
      this.procfs = procfs;
      this.snapshot = snapshot;
      this.explainPid = explainPid;
      this.tree = new ProcessTree(snapshot);
      this.minUid = o.minUid().orElseGet(
          () -> rules.defaults().minUid().orElseGet(env.accounts()::uidMin));
      this.lineage = o.epilogue() || rules.defaults().scope() == Defaults.Scope.LINEAGE;
      this.subreapers = new Subreapers(rules.subreapers());
      this.allExes = !subreapers.executables().isEmpty();
    }

    /**
     * First the processes that decide what the families are: batch daemons and subreapers in
     * full (and, with --explain, the process asked about and its ancestors); then the batch
     * systems of the node.
     */
    void batchSystems(PrintWriter warnings) throws EvidenceUnavailable {
      BatchSystems batch = BatchSystems.of(snapshot);
      Set<Integer> first = new HashSet<>(batch.candidates());
      if (explainPid > 0) {
        first.addAll(tree.ancestry(explainPid));
      }
      everyone = lineage || batch.needsEveryProcess(snapshot);
      first.addAll(subreapers.candidates(snapshot));
      procfs.read(snapshot, first, Part.FULL_WITH_CGROUP);
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
      // Every batch-system call of the run shares one budget: a hung batch system costs it
      // that, not one time limit per call.
      CommandRunner calls = new BudgetedRunner(env.batch(), BatchSystems.BUDGET,
          env.batchClock());
      providers = batch.detect(snapshot, calls, procfs::cwd, procfs.hostname(),
          rules.slurmBin());
      slurmMarks = batch.needsCgroups(snapshot);
      // scontrol listpids names the running jobs' processes (see members) while the families
      // are read.
      if (slurmMarks) {
        running = Optional.of(KnownRunning.ask(providers));
      }
      boolean cgroups = explainPid > 0 || rules.usesCgroups() || slurmMarks;
      whole = cgroups ? Part.FULL_WITH_CGROUP : Part.FULL;
    }

    /**
     * The families: the orphans, or the lineage scope's strays. Every process's credentials,
     * where the decision needs them all, are read first when the families are made of them
     * (the strays; subreapers, found by their exe), else once the families' members were read
     * in full ({@link #members}; each file is read once either way).
     */
    void families() {
      familiesOfAll = everyone && (lineage || allExes);
      if (familiesOfAll) {
        everyProcess(procfs, snapshot, lineage, allExes);
      }
      Set<Integer> found = subreapers.find(snapshot);
      confirm(procfs, snapshot, found, whole);
      Set<Integer> inits = new HashSet<>(Set.of(Snapshot.INIT_PID));
      inits.addAll(found);
      finder = new FamilyFinder(inits);
      if (lineage) {
        Set<Integer> anchored =
            Anchors.lineage(tree, new Anchors(rules.anchors()).find(snapshot));
        Set<Integer> strays = Anchors.strays(snapshot, anchored, inits, minUid);
        confirm(procfs, snapshot, strays, whole);
        families = finder.around(tree, strays, Set.of(), Family.Origin.LINEAGE);
      } else {
        families = finder.orphans(tree);
      }
    }

    /**
     * The families' members. A family the hard floor protects through its first member is
     * decided by that member alone. On a Slurm node every job is such a family, below a root
     * slurmstepd whose parent is init and whose session is its own, as is every system service:
     * reading all their members would cost more than the rest of the run. Only the other
     * families are read whole.
     */
    void members() {
      floor = HardFloor.of(minUid, tree);
      List<Integer> firsts = new ArrayList<>(families.size());
      families.forEach(f -> firsts.add(f.root().pid()));
      procfs.read(snapshot, firsts, whole);
      familyPids.addAll(firsts);
      for (Family f : families) {
        if (floor.protectsThroughFirst(snapshot, f).isPresent()) {
          settled.add(f.root().pid());
          f.members().forEach(m -> unread.add(m.proc().pid()));
        } else {
          familyPids.addAll(f.pids());
        }
      }
      procfs.read(snapshot, familyPids, whole);
      if (everyone && !familiesOfAll) {
        everyProcess(procfs, snapshot, lineage, allExes);
      }
      // The families' user names are asked for from the plan on; a getent for those missing
      // from /etc/passwd runs from now on beside the evidence stage (and the plan, when no rule
      // names users).
      Set<Long> familyUids = new HashSet<>();
      credentialIds(snapshot, familyPids, familyUids, new HashSet<>());
      env.accounts().resolve(familyUids);
      // Slurm marks a job's processes by their cgroup alone: the unread members' cgroups are
      // read (one file each, not five), so that a leftover of an ended job below a live root
      // process (an ssh session adopted into the job, a stuck slurmstepd) is still found. Those
      // scontrol listpids names are in a running job whatever their cgroup says, and on a
      // Slurm node they are nearly all: it was asked while the families were read, and only
      // the others' cgroups are read. (squeue, which judges the cgroups, is asked after them,
      // in marks.)
      if (running.isPresent()) {
        Set<Integer> known = running.get().await();
        unread.removeIf(known::contains);
        procfs.read(snapshot, unread, Set.of(Part.CGROUP));
      }
    }

    /**
     * What the batch systems say of the processes read, and the leftovers of ended jobs, which
     * are selected through their mark even when nothing orphaned them, or when they sit in a
     * family the hard floor keeps whole (a user process under cron): families of their own.
     */
    Evidence marks() throws EvidenceUnavailable {
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
      confirm(procfs, snapshot, ended, whole);
      if (ended.isEmpty()) {
        return marked;
      }
      List<Family> leftovers = finder.around(tree, ended, actionable, Family.Origin.JOB_MARK);
      families = new ArrayList<>(families);
      families.addAll(leftovers);
      Set<Integer> unasked = new HashSet<>();
      for (Family f : leftovers) {
        familyPids.addAll(f.pids());
        f.pids().stream().filter(pid -> !asked.contains(pid)).forEach(unasked::add);
      }
      procfs.read(snapshot, familyPids, whole);
      // A leftover's descendants were not all asked about: those scontrol listpids named as a
      // running job's were read no further. Their marks are asked for now (their cgroups were
      // just read, so Slurm's job states are asked again), since a process of a running job
      // protects whatever family it turns up in.
      return unasked.isEmpty() ? marked
          : marked.and(Evidence.collect(providers, snapshot, unasked));
    }

    /** The names of every uid and gid of the families' members, as the rules may ask. */
    void names() {
      Set<Long> uids = new HashSet<>();
      Set<Integer> gids = new HashSet<>();
      credentialIds(snapshot, familyPids, uids, gids);
      env.accounts().resolve(uids);
      if (rules.usesGroupNames()) {
        env.accounts().resolveGroups(gids);
      }
    }
  }

  /**
   * The credentials of every process not read yet, and the exe of those verified by it later
   * (anchors, HTCondor's starters; every process's where subreapers are found by it), for the
   * lineage scope and the batch systems that tell jobs by GID. Stat is not read again (see
   * {@link #confirm}).
   */
  private static void everyProcess(ProcFs procfs, Snapshot s, boolean lineage,
      boolean allExes) {
    // Kernel threads are left out: they run with the kernel's credentials (no groups, uid 0),
    // have no exe, and the floor protects them whatever they are.
    List<Integer> user = new ArrayList<>(s.processes().size());
    for (Proc p : s.processes().values()) {
      if (!p.kernelThread() && !s.vanished(p.pid())) {
        user.add(p.pid());
      }
    }
    procfs.read(s, user, Set.of(Part.STATUS));
    List<Integer> exes = new ArrayList<>();
    for (int pid : user) {
      Proc p = s.processes().get(pid);
      if (allExes || lineage && Anchors.mayBe(p.credentials())
          || BatchSystems.mayBeStarter(p, p.credentials())) {
        exes.add(pid);
      }
    }
    procfs.read(s, exes, Set.of(Part.EXE));
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
  private static void confirm(ProcFs procfs, Snapshot s, Set<Integer> seeds, Set<Part> whole) {
    if (!seeds.isEmpty()) {
      procfs.read(s, seeds, whole);
      seeds.removeIf(s::vanished);
    }
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
