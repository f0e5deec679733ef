package org.orphanreaper.act;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orphanreaper.act.KillOutcome.Result;
import org.orphanreaper.plan.HardFloor;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.proc.ProcDetails;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.ProcId;
import org.orphanreaper.proc.ProcStat;
import org.orphanreaper.proc.ProcUnreadableException;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.ProcessTree;

/**
 * Kills one family so that it cannot outrun the kill. Every member is pinned first: moved into a
 * frozen {@link Pen} where the node has one (a child forked by a penned process is born in the
 * pen, whatever session it makes), else stopped with SIGSTOP; the family is re-scanned until no
 * new member appears. Then the first signal goes out and the family runs again to receive it;
 * after the grace period what is left is pinned again, re-scanned and killed (the whole pen at
 * once where the kernel has cgroup.kill), and the family is verified gone. Every signal goes
 * through an identity-checking {@link Signaller}, and every member, old or new, passes the hard
 * floor on its credentials as they are once it is pinned, or the whole kill is called off and the
 * family put back as it was (resumed, moved back to its cgroups). What is about to be stopped or
 * penned is written to the {@link StopJournal} first.
 */
public final class FamilyKiller {

  /** Bounds on the kill loop. */
  public record Limits(int maxPasses, Duration poll, Duration verifyTimeout) {
    public static final Limits DEFAULT =
        new Limits(12, Duration.ofMillis(50), Duration.ofSeconds(5));
  }

  private final ProcFs procfs;
  private final Signaller signaller;
  private final HardFloor floor;
  private final Set<Integer> inits;
  private final Limits limits;
  private final KillsInProgress inProgress;
  private final Containment containment;
  private final StopJournal journal;
  private final SharedScans scans;
  /** When this killer was made: the run's acting began. */
  private final long actingSince = System.nanoTime();

  /** A killer on SIGSTOP passes alone, with no journal: for tests of that path. */
  public FamilyKiller(
      ProcFs procfs, Signaller signaller, HardFloor floor, Set<Integer> inits, Limits limits) {
    this(procfs, signaller, floor, inits, limits, new KillsInProgress(),
        Containment.signalsOnly(), StopJournal.none(), new SharedScans(procfs));
  }

  /**
   * @param inProgress where this kill can be called off while it runs
   * @param containment where families are penned
   * @param journal where what is stopped or penned is recorded first
   * @param scans the re-scans every kill of the run shares
   */
  public FamilyKiller(ProcFs procfs, Signaller signaller, HardFloor floor, Set<Integer> inits,
      Limits limits, KillsInProgress inProgress, Containment containment, StopJournal journal,
      SharedScans scans) {
    this.procfs = procfs;
    this.signaller = signaller;
    this.floor = floor;
    this.inits = Set.copyOf(inits);
    this.limits = limits;
    this.inProgress = inProgress;
    this.containment = containment;
    this.journal = journal;
    this.scans = scans;
  }

  /** The snapshot whose latest start time was last asked for, and that time. */
  private Snapshot startsOf;
  private long latestStart;

  /** The latest start time in the scan, worked out once for all the families of a run. */
  private synchronized long latestStart(Snapshot snapshot) {
    if (startsOf != snapshot) {
      long latest = 0;
      for (ProcStat p : snapshot.processes().values()) {
        latest = Math.max(latest, p.startTicks());
      }
      startsOf = snapshot;
      latestStart = latest;
    }
    return latestStart;
  }

  /** Kills {@code family} of {@code snapshot} as {@code verdict} says. */
  public KillOutcome kill(Snapshot snapshot, Family family, Verdict.Kill verdict) {
    return begin(snapshot, family, verdict).finish();
  }

  /**
   * The first half of a kill: the family is pinned and gets its first signal. A run begins
   * every family's kill before it finishes any, so that all of them wait out their grace after
   * the first signal together: 100 families that ignore TERM take one --kill-after, not 25.
   */
  public Begun begin(Snapshot snapshot, Family family, Verdict.Kill verdict) {
    Run run = new Run(snapshot, family, verdict);
    inProgress.add(run);
    try {
      run.start();
      return new Begun(run);
    } catch (RuntimeException | Error e) {
      // Never leave a family frozen behind a bug: resume whatever this run stopped.
      run.resumeStopped();
      inProgress.remove(run);
      throw e;
    }
  }

  /** A kill whose first signal went out: {@link #finish} waits out the grace and ends it. */
  public final class Begun {
    private final Run run;

    private Begun(Run run) {
      this.run = run;
    }

    /** Waits until the grace after the first signal is over, then kills what is left. */
    public KillOutcome finish() {
      try {
        return run.finish();
      } catch (RuntimeException | Error e) {
        run.resumeStopped();
        throw e;
      } finally {
        inProgress.remove(run);
      }
    }
  }

  /**
   * The mutable state of killing one family. The kill runs on one thread; a run that is stopped
   * calls {@link #cancelAndResume} from its shutdown hook: sending and the targets' list are
   * guarded by this object for that.
   */
  private final class Run implements KillsInProgress.Resumable {
    private final Family family;
    private final Verdict.Kill verdict;
    private final Map<ProcId, Target> targets = new LinkedHashMap<>();
    private final StringBuilder note = new StringBuilder();
    /** The latest start time in the scan: a process started later was born during the kill. */
    private final long scanTicks;
    /** The real uids of the family's members, for processes born into its session. */
    private final Set<Long> uids = new HashSet<>();
    /** Called off: no signal but SIGCONT goes out any more. Guarded by this. */
    private boolean cancelled;
    /** The family's cgroup while it is killed; null on SIGSTOP passes alone. */
    private Pen pen;
    /** Where the first penned member came from: where processes born in the pen go back. */
    private String familyOrigin;
    /** The family kept growing through every pass: it was never pinned down. */
    private boolean unpinned;

    Run(Snapshot snapshot, Family family, Verdict.Kill verdict) {
      this.family = family;
      this.verdict = verdict;
      this.scanTicks = latestStart(snapshot);
      for (Family.Member m : family.members()) {
        Target t = new Target(m.stat(), snapshot.detailsOf(m.stat().pid()), m.depth());
        if (m.stat().dead()) {
          t.result = Result.ZOMBIE;
        }
        targets.put(m.stat().id(), t);
        inProgress.claim(m.stat().id(), this);
        t.details.flatMap(ProcDetails::credentials).ifPresent(c -> uids.add(c.ruid()));
      }
    }

    /** Set when the kill ended in its first half (called off, or a pen failed). */
    private KillOutcome early;
    /** When the grace after the first signal is over (System.nanoTime()). */
    private long graceEnds;
    /** What a member that ended during the grace counts as: EXITED after TERM, else KILLED. */
    private Result endedInGrace;

    void start() {
      // A member may have become root's since the scan (su, sudo, a setuid program)
      // Any scan since the run began acting will do here: what counts is read again once the
      // family is pinned, before its first signal (and before every SIGSTOP pass).
      Optional<String> abort = recheck(actingSince);
      if (abort.isPresent()) {
        early = resumeAndAbort(abort.get());
        return;
      }
      Containment.Opened opened = containment.open();
      if (opened instanceof Containment.Opened.Penned p) {
        try {
          journal.pen(p.pen());
        } catch (IOException e) {
          p.pen().remove();
          early = resumeAndAbort("cannot write the journal: " + e.getMessage());
          return;
        }
        synchronized (this) {
          pen = p.pen();
        }
      } else if (opened instanceof Containment.Opened.Unpenned u
          && containment.mode() != Containment.Mode.SIGNALS) {
        note.append("no cgroup to pen the family in (").append(u.why()).append("); ");
      }
      try {
        abort = pin();
        if (abort.isPresent()) {
          early = resumeAndAbort(abort.get());
          return;
        }
        Signal first = verdict.signal();
        if (first != Signal.KILL) {
          signalLive(first);
          signalLive(Signal.CONT);
          thaw();
          graceEnds = System.nanoTime() + verdict.killAfter().toNanos();
          endedInGrace = Result.EXITED;
        } else {
          killPinnedMembers();
          graceEnds = System.nanoTime() + limits.verifyTimeout().toNanos();
          endedInGrace = Result.KILLED;
        }
      } catch (PenFailed e) {
        early = resumeAndAbort("the family's cgroup failed: " + e.getMessage());
      }
    }

    KillOutcome finish() {
      try {
        if (early != null) {
          return early;
        }
        settle(Duration.ofNanos(Math.max(0, graceEnds - System.nanoTime())), endedInGrace);
        return afterFirstSignal();
      } catch (PenFailed e) {
        return resumeAndAbort("the family's cgroup failed: " + e.getMessage());
      } finally {
        removePen();
      }
    }

    private KillOutcome afterFirstSignal() throws PenFailed {
      Optional<String> abort;
      // What survived the first signal ran again and may have forked: pin it and pick up new
      // members before each SIGKILL. Another pass is worth it only while the family still
      // grows; what ignores SIGKILL without growing sits in uninterruptible sleep. When every
      // known member is gone, a re-scan must find nothing new before the family counts as gone:
      // a member may have started a child on TERM and exited.
      int size = -1;
      boolean gone = false;
      for (int pass = 0; pass < limits.maxPasses(); pass++) {
        if (live().isEmpty() && !penPopulated()) {
          Discovery last = discover();
          if (last.abortReason().isPresent()) {
            return resumeAndAbort(last.abortReason().get());
          }
          if (last.added() == 0) {
            gone = true;
            break;
          }
          size = -1;
        }
        if (targets.size() == size) {
          break;
        }
        size = targets.size();
        abort = pin();
        if (abort.isPresent()) {
          return resumeAndAbort(abort.get());
        }
        killPinnedMembers();
        settle(limits.verifyTimeout(), Result.KILLED);
      }
      if (!gone && live().isEmpty() && !penPopulated()) {
        // Still making processes after the last pass: what the last re-scan pinned is killed
        // too, and the family is not called killed.
        Discovery last = discover();
        if (last.abortReason().isPresent()) {
          return resumeAndAbort(last.abortReason().get());
        }
        if (last.added() > 0) {
          unpinned = true;
          killPinnedMembers();
          settle(limits.verifyTimeout(), Result.KILLED);
        }
      }
      List<Integer> left = new ArrayList<>();
      for (Target t : live()) {
        t.result = Result.SURVIVED;
        left.add(t.stat.pid());
      }
      if (unpinned) {
        // "killed" is a claim: a family that could not be pinned down may have left processes
        // no pass saw, so it is not reported killed even when every process seen is gone.
        note.append("not killed: the family made processes faster than they could be ")
            .append(pen == null ? "stopped" : "penned").append("; pids seen last: ")
            .append(left.isEmpty() ? "none alive" : left.toString()).append("; ");
        return outcome(KillOutcome.Status.SURVIVED);
      }
      return outcome(status());
    }

    /** Waits up to {@code limit} for the live members to end, then records who ended. */
    private void settle(Duration limit, Result ended) {
      awaitExit(limit);
      for (Target t : live()) {
        if (!alive(t)) {
          t.result = ended;
        }
      }
    }

    /**
     * Pins every live member (into the pen, or with SIGSTOP), then re-scans and adds new
     * members, until a pass finds none. Returns the reason to abort when a member is protected
     * by the hard floor. A family still growing after the last pass is marked unpinned.
     */
    private Optional<String> pin() throws PenFailed {
      if (pen == null) {
        // SIGSTOP reaches a process that may have run a setuid program since it was last read
        // (after TERM and SIGCONT, from a trap): read every member again first. (A pen is a
        // move, not a signal, and what is in it is read once it is frozen.)
        Optional<String> changed = recheck();
        if (changed.isPresent()) {
          return changed;
        }
      } else {
        penOp(() -> {
          pen.freeze();
          return true;
        });
      }
      for (int pass = 1; pass <= limits.maxPasses(); pass++) {
        Optional<String> failed = pen != null ? admitLive() : stopLive();
        if (failed.isPresent()) {
          return failed;
        }
        if (pen != null && !penOp(() -> pen.awaitFrozen(limits.verifyTimeout(), limits.poll()))) {
          note.append("the cgroup did not freeze within ").append(limits.verifyTimeout())
              .append(" (a process in uninterruptible sleep?); ");
        }
        Discovery found = discover();
        if (found.abortReason().isPresent()) {
          return found.abortReason();
        }
        if (found.added() == 0) {
          return Optional.empty();
        }
      }
      unpinned = true;
      return Optional.empty();
    }

    /** SIGSTOP to every live member not stopped yet, each recorded in the journal first. */
    private Optional<String> stopLive() {
      List<Target> todo = live().stream().filter(t -> !t.stopped).toList();
      try {
        journal.stopping(todo.stream().map(t -> t.stat.id()).toList());
      } catch (IOException e) {
        return Optional.of("cannot write the journal: " + e.getMessage());
      }
      for (Target t : todo) {
        send(t, Signal.STOP);
      }
      return Optional.empty();
    }

    /**
     * Moves every live member that is not in the pen yet into it, where it freezes. A process
     * whose pid was taken by another between the check and the move is moved straight back.
     */
    private Optional<String> admitLive() throws PenFailed {
      for (Target t : live()) {
        if (t.origin != null || !alive(t)) {
          continue;
        }
        Optional<String> origin = pen.cgroupOf(procfs.root(), t.stat.pid());
        if (origin.isEmpty()) {
          continue; // gone
        }
        try {
          journal.moving(t.stat.id(), pen, origin.get());
        } catch (IOException e) {
          return Optional.of("cannot write the journal: " + e.getMessage());
        }
        if (!penOp(() -> pen.admit(t.stat.pid()))) {
          continue;
        }
        t.origin = origin.get();
        familyOrigin = familyOrigin == null ? origin.get() : familyOrigin;
        if (!alive(t) && procfs.stat(t.stat.pid()).isPresent()) {
          penOp(() -> pen.moveTo(origin.get(), t.stat.pid())); // not ours: put it back
          t.origin = null;
        }
      }
      return Optional.empty();
    }

    /**
     * SIGKILL to what is pinned: the whole pen at once through cgroup.kill, else each live
     * member; a pen is thawed after, so that frozen processes take the signal (cgroup v1).
     */
    private void killPinnedMembers() throws PenFailed {
      if (pen != null && penOp(pen::killAtOnce)) {
        synchronized (this) {
          for (Target t : live()) {
            t.sent.add(Signal.KILL);
          }
        }
      } else {
        signalLive(Signal.KILL);
      }
      thaw();
    }

    private void thaw() throws PenFailed {
      if (pen != null) {
        penOp(() -> {
          pen.thaw();
          return true;
        });
      }
    }

    private boolean penPopulated() {
      try {
        return pen != null && pen.populated();
      } catch (IOException e) {
        return false;
      }
    }

    /** Runs one operation on the pen unless the kill was called off; false when it was. */
    private synchronized boolean penOp(PenAction a) throws PenFailed {
      if (cancelled) {
        return false;
      }
      try {
        return a.run();
      } catch (IOException e) {
        throw new PenFailed(e.getMessage());
      }
    }

    /**
     * Re-scans procfs and adds every new process that descends from a live member, or that was
     * orphaned into the family's session while the session is still held by a live member (a
     * session id cannot be reused while any process is in it).
     */
    private Discovery discover() throws PenFailed {
      SharedScans.Scan scan;
      try {
        scan = scans.after(System.nanoTime());
      } catch (ProcUnreadableException e) {
        return new Discovery(0, Optional.of("procfs became unreadable during the kill"));
      }
      Snapshot fresh = scan.snapshot();
      ProcessTree tree = scan.tree();
      List<ProcStat> roots = new ArrayList<>();
      boolean sessionHeld = false;
      // Everything in the pen is the family's: only its members' children are born there.
      for (int pid : penPids()) {
        ProcStat p = fresh.processes().get(pid);
        if (p != null) {
          roots.add(p);
        }
      }
      for (Target t : targets.values()) {
        ProcStat now = fresh.processes().get(t.stat.pid());
        if (now != null && now.startTicks() == t.stat.startTicks()) {
          roots.add(now);
          sessionHeld |= now.sid() == family.sid() && !now.dead();
        }
      }
      // Processes orphaned into the family's session. While a member holds the session, its id
      // cannot be taken by another; once none does, only those born after the scan (a member
      // made them before it exited, so the id was never free) of a member's uid count.
      List<Integer> bornInSession = new ArrayList<>();
      // And processes that left the session: a member that double-forked into a session of its
      // own between the scan and its pinning. Such a process counts when it was born after the
      // scan, re-parented to init, of a member's uid, and either sits in the very cgroup a
      // member was moved into the pen from (not the root cgroup, which names no one) or runs
      // the very program of a member, same executable and command line (a fork without exec).
      List<Integer> escaped = new ArrayList<>();
      for (ProcStat p : fresh.processes().values()) {
        if (!inits.contains(p.ppid()) || p.kernelThread() || targets.containsKey(p.id())) {
          continue;
        }
        if (p.sid() == family.sid() && sessionHeld) {
          roots.add(p);
        } else if (p.startTicks() > scanTicks && p.sid() == family.sid()
            && p.pid() != family.sid()) {
          // (a process whose pid is the session id made a new session of that id: the old
          // one had ended, since a session's id is not given out while anything holds it)
          bornInSession.add(p.pid());
        } else if (p.startTicks() > scanTicks && p.sid() != family.sid()) {
          escaped.add(p.pid());
        }
      }
      int before = targets.size();
      Made made = madeByMembers(fresh, bornInSession, escaped);
      // (those pinned on sight are members already, and count as found)
      int pinnedOnSight = targets.size() - before;
      if (made.abortReason().isPresent()) {
        return new Discovery(0, made.abortReason());
      }
      roots.addAll(made.roots());
      // Every member is stopped now and cannot change its credentials until it is resumed: what
      // it runs as now is what the next signal hits.
      Optional<String> changed = recheck(fresh);
      if (changed.isPresent()) {
        return new Discovery(0, changed);
      }
      Map<Integer, Integer> depthOf = new LinkedHashMap<>();
      List<Family.Member> reach = tree.descend(roots, inits);
      Set<ProcId> known = new HashSet<>(targets.keySet());
      List<Integer> newPids = new ArrayList<>();
      for (Family.Member m : reach) {
        if (!known.contains(m.stat().id())) {
          newPids.add(m.stat().pid());
          depthOf.put(m.stat().pid(), depthBelowKnown(fresh, m.stat()));
        }
      }
      if (newPids.isEmpty()) {
        return new Discovery(pinnedOnSight, Optional.empty());
      }
      Snapshot described = procfs.describe(fresh, newPids);
      int added = pinnedOnSight;
      for (int pid : newPids) {
        ProcStat p = fresh.processes().get(pid);
        Optional<String> why = floor.protects(described, p);
        if (why.isPresent()) {
          return new Discovery(
              added,
              Optional.of("a protected process joined the family during the kill: " + why.get()));
        }
        if (described.vanished().contains(pid)) {
          continue;
        }
        if (!inProgress.claim(p.id(), this)) {
          continue; // another family's kill took it first
        }
        Target t = new Target(p, described.detailsOf(pid), depthOf.get(pid));
        t.joined = true;
        if (p.dead()) {
          t.result = Result.ZOMBIE;
        }
        synchronized (this) {
          targets.put(p.id(), t);
        }
        added++;
      }
      return new Discovery(added, Optional.empty());
    }

    /**
     * Of the processes born after the scan into the family's session, or re-parented to init
     * outside it, those a member made (see {@link #discover}). The first one born into the
     * session gives the family its uid when no member's could be read (a pid hopper whose
     * members were all gone by the time the scan read them). Those born into the session are
     * pinned on sight, each right after its own credentials were read and passed the floor: a
     * pid hopper lives a few milliseconds, less than another re-scan takes.
     */
    private Made madeByMembers(Snapshot fresh, List<Integer> bornInSession,
        List<Integer> escaped) throws PenFailed {
      if (bornInSession.isEmpty() && (escaped.isEmpty() || uids.isEmpty())) {
        return new Made(List.of(), Optional.empty());
      }
      List<ProcStat> made = new ArrayList<>();
      for (int pid : bornInSession) {
        Snapshot read = procfs.describeLight(fresh, List.of(pid));
        Optional<Long> ruid = read.detailsOf(pid).flatMap(ProcDetails::credentials)
            .map(c -> c.ruid());
        if (ruid.isEmpty() || read.vanished().contains(pid)) {
          continue;
        }
        if (uids.isEmpty()) {
          uids.add(ruid.get());
        }
        if (!uids.contains(ruid.get())) {
          continue; // another user's: not one a member made
        }
        ProcStat p = fresh.processes().get(pid);
        Optional<String> why = floor.protects(read, p);
        if (why.isPresent()) {
          return new Made(made, Optional.of(
              "a protected process joined the family during the kill: " + why.get()));
        }
        if (!inProgress.claim(p.id(), this)) {
          continue; // another family's kill took it first
        }
        Target t = new Target(p, read.detailsOf(pid), 0);
        t.joined = true;
        synchronized (this) {
          targets.put(p.id(), t);
        }
        Optional<String> failed = pen != null ? admitLive() : stopLive();
        if (failed.isPresent()) {
          return new Made(made, failed);
        }
        made.add(p);
      }
      if (escaped.isEmpty() || uids.isEmpty()) {
        return new Made(made, Optional.empty());
      }
      Set<String> origins = new HashSet<>();
      Set<List<String>> programs = new HashSet<>();
      for (Target t : targets.values()) {
        if (t.origin != null && !t.origin.equals("/")) {
          origins.add(t.origin);
        }
        t.details.filter(d -> d.exe().isPresent() && !d.cmdline().isEmpty())
            .ifPresent(d -> programs.add(List.of(d.exe().get(), d.cmdline())));
      }
      Snapshot read = procfs.describe(fresh, escaped);
      for (int pid : escaped) {
        Optional<ProcDetails> d = read.detailsOf(pid);
        boolean mine = d.flatMap(ProcDetails::credentials).map(c -> uids.contains(c.ruid()))
            .orElse(false) && !read.vanished().contains(pid);
        if (mine && (pen != null
            && pen.cgroupOf(procfs.root(), pid).map(origins::contains).orElse(false)
            || d.get().exe().isPresent()
            && programs.contains(List.of(d.get().exe().get(), d.get().cmdline())))
            && inProgress.claim(fresh.processes().get(pid).id(), this)) {
          made.add(fresh.processes().get(pid));
        }
      }
      return new Made(made, Optional.empty());
    }

    /** {@link #recheck(Snapshot)} on a scan of its own. */
    private Optional<String> recheck() {
      return recheck(System.nanoTime());
    }

    /** {@link #recheck(Snapshot)} on a scan that started at or after {@code moment}. */
    private Optional<String> recheck(long moment) {
      try {
        return recheck(scans.after(moment).snapshot());
      } catch (ProcUnreadableException e) {
        return Optional.of("procfs became unreadable during the kill");
      }
    }

    /**
     * Why a live member may no longer be signalled: the hard floor, on credentials read now
     * (all four uids), not as they were at the scan. A member that ran a setuid program since
     * (from a trap on TERM, say) keeps its pid and start time, so identity alone would let it
     * be hit.
     */
    private Optional<String> recheck(Snapshot fresh) {
      List<Integer> pids = new ArrayList<>();
      for (Target t : live()) {
        ProcStat now = fresh.processes().get(t.stat.pid());
        if (now != null && now.startTicks() == t.stat.startTicks() && !now.dead()) {
          pids.add(now.pid());
        }
      }
      if (pids.isEmpty()) {
        return Optional.empty();
      }
      Snapshot read = procfs.describeLight(fresh, pids);
      for (int pid : pids) {
        Optional<String> why = floor.protects(read, fresh.processes().get(pid));
        if (why.isPresent()) {
          return Optional.of("a member became protected during the kill: " + why.get());
        }
      }
      return Optional.empty();
    }

    private int depthBelowKnown(Snapshot fresh, ProcStat p) {
      ProcStat parent = fresh.processes().get(p.ppid());
      if (parent != null) {
        Target t = targets.get(parent.id());
        if (t != null) {
          return t.depth + 1;
        }
      }
      return 0;
    }

    private KillOutcome resumeAndAbort(String why) {
      resumeStopped();
      for (Target t : targets.values()) {
        if (t.result == null) {
          t.result = Result.SPARED;
        }
      }
      note.append(why);
      return outcome(KillOutcome.Status.ABORTED);
    }

    /**
     * Puts the family back as it was: stopped members resumed, penned ones moved back to their
     * cgroups (processes born in the pen to the first member's) and the pen thawed.
     */
    synchronized int resumeStopped() {
      int resumed = 0;
      for (Target t : targets.values()) {
        if (t.stopped && t.result == null && send(t, Signal.CONT)) {
          resumed++;
        }
      }
      if (pen == null) {
        return resumed;
      }
      try {
        for (Target t : targets.values()) {
          if (t.origin != null && t.result == null && alive(t)
              && pen.moveTo(t.origin, t.stat.pid())) {
            resumed++;
          }
        }
        for (int pid : pen.pids()) {
          if (pen.moveTo(familyOrigin == null ? "/" : familyOrigin, pid)) {
            resumed++;
          }
        }
        pen.thaw();
        pen.remove();
      } catch (IOException e) {
        note.append("could not put every process back from ").append(pen.dir()).append(": ")
            .append(e.getMessage()).append("; ");
        try {
          pen.thaw(); // at least let them run where they are
        } catch (IOException again) {
          note.append("the cgroup could not be thawed; ");
        }
      }
      return resumed;
    }

    /**
     * The pen is left only while processes are in it (a survivor in uninterruptible sleep). A
     * process killed a moment ago still counts until it has fully exited: the removal is tried
     * again for a while.
     */
    private synchronized void removePen() {
      if (pen == null) {
        return;
      }
      long deadline = System.nanoTime() + limits.verifyTimeout().toNanos();
      while (!pen.remove() && System.nanoTime() < deadline) {
        try {
          wait(Math.max(1, limits.poll().toMillis())); // (releases the lock for the hook)
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (pen.remove()) {
        containment.removed(pen);
      } else {
        try {
          pen.thaw();
        } catch (IOException e) {
          // gone already
        }
        note.append("processes are left in ").append(pen.dir()).append("; ");
      }
    }

    private List<Integer> penPids() {
      try {
        return pen == null ? List.of() : pen.pids();
      } catch (IOException e) {
        return List.of();
      }
    }

    @Override
    public synchronized int cancelAndResume() {
      cancelled = true;
      return resumeStopped();
    }

    private void signalLive(Signal s) {
      for (Target t : live()) {
        send(t, s);
      }
    }

    /** Sends one signal; a process found gone gets its final result. True when delivered. */
    private synchronized boolean send(Target t, Signal s) {
      if (cancelled && (s != Signal.CONT || !t.stopped)) {
        return false; // called off: only what is still stopped is resumed
      }
      Signaller.Outcome o = signaller.send(t.stat.id(), s);
      switch (o) {
        case SENT:
          t.sent.add(s);
          if (s == Signal.STOP) {
            t.stopped = true; // under the lock: a run called off now resumes it
          } else if (s == Signal.CONT) {
            t.stopped = false; // the next freeze must stop it again
          }
          return true;
        case GONE:
          t.result = t.sent.isEmpty() ? Result.VANISHED
              : t.sent.contains(Signal.KILL) ? Result.KILLED : Result.EXITED;
          return false;
        default:
          t.failures.add(s + " " + o.name().toLowerCase(java.util.Locale.ROOT));
          return false;
      }
    }

    /** Polls until every live member is gone, and the pen empty, or {@code limit} has passed. */
    private void awaitExit(Duration limit) {
      long deadline = System.nanoTime() + limit.toNanos();
      while (live().stream().anyMatch(this::alive) || penPopulated()) {
        if (System.nanoTime() >= deadline) {
          return;
        }
        try {
          Thread.sleep(limits.poll().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    /** Still the same process and not yet a zombie. */
    private boolean alive(Target t) {
      Optional<ProcStat> now = procfs.stat(t.stat.pid());
      return now.isPresent() && now.get().startTicks() == t.stat.startTicks() && !now.get().dead();
    }

    private List<Target> live() {
      return targets.values().stream().filter(t -> t.result == null).toList();
    }

    private KillOutcome.Status status() {
      boolean anySurvivor = targets.values().stream().anyMatch(t -> t.result == Result.SURVIVED);
      boolean anySignalled = targets.values().stream().anyMatch(t -> !t.sent.isEmpty());
      if (anySurvivor) {
        return KillOutcome.Status.SURVIVED;
      }
      return anySignalled ? KillOutcome.Status.KILLED : KillOutcome.Status.VANISHED;
    }

    private KillOutcome outcome(KillOutcome.Status status) {
      List<KillOutcome.MemberOutcome> members = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      for (Target t : targets.values()) {
        members.add(
            new KillOutcome.MemberOutcome(t.stat, t.details, t.depth, t.result, t.sent));
        for (String f : t.failures) {
          failures.add("pid " + t.stat.pid() + ": " + f);
        }
      }
      long joined = targets.values().stream().filter(t -> t.joined).count();
      if (joined > 0) {
        note.append(joined).append(" process(es) joined during the kill; ");
      }
      if (!failures.isEmpty()) {
        note.append(String.join(", ", failures)).append("; ");
      }
      String n = note.toString().trim();
      if (n.endsWith(";")) {
        n = n.substring(0, n.length() - 1);
      }
      String mechanism = signaller.mechanism()
          + (pen == null ? "" : "+" + pen.hierarchy().label());
      return new KillOutcome(family, members, status, mechanism, n);
    }
  }

  /** One operation on the pen; false when it did nothing. */
  private interface PenAction {
    boolean run() throws IOException;
  }

  /** A pen operation failed: the kill is called off and the family put back. */
  private static final class PenFailed extends Exception {
    PenFailed(String message) {
      super(message, null, false, false);
    }
  }

  /** Processes a member made, found by {@code madeByMembers}, or why the kill must stop. */
  private record Made(List<ProcStat> roots, Optional<String> abortReason) {}

  /** What one re-scan found: how many members it added, or why the kill must stop. */
  private record Discovery(int added, Optional<String> abortReason) {}

  /** One process being killed. */
  private static final class Target {
    final ProcStat stat;
    final Optional<ProcDetails> details;
    final int depth;
    final List<Signal> sent = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    boolean stopped;
    boolean joined;
    /** The cgroup it was in before it was penned; null while it is not in the pen. */
    String origin;
    Result result; // null while the process may still be alive

    Target(ProcStat stat, Optional<ProcDetails> details, int depth) {
      this.stat = stat;
      this.details = details;
      this.depth = depth;
    }
  }
}
