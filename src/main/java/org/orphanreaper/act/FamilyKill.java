package org.orphanreaper.act;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orphanreaper.act.KillOutcome.Result;
import org.orphanreaper.base.ProcId;
import org.orphanreaper.base.Signal;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.proc.Part;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.ProcessTree;

/**
 * The state of killing one family, and the steps of its kill. A step never waits and never scans
 * /proc on its own: {@link FamilyKiller} runs each step for every family of a run in turn,
 * waits for all of them at once and hands them the pass's shared {@link Rescan}. The shutdown
 * hook of a run that is stopped calls {@link #cancelAndResume} from another thread: sending and
 * the targets' list are guarded by this object for that.
 */
final class FamilyKill implements KillsInProgress.Resumable {

  private final FamilyKiller killer;
  /** Where this kill's outcome goes in the run's list. */
  final int index;
  private final Family family;
  private final Verdict.Kill verdict;
  private final Map<ProcId, Target> targets = new LinkedHashMap<>();
  private final StringBuilder note = new StringBuilder();
  /** The run's scan: a process it did not see was born since (see {@link Rescan#bornSince}). */
  private final Snapshot scanned;
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
  /** Every process in the pen was seen frozen, and the pen has not been thawed since. */
  private boolean penFrozen;
  /** How the kill ended; null while it goes on. */
  private KillOutcome.Status ended;
  /** When the grace after the first signal is over (System.nanoTime()). */
  private long graceEnds;
  /** What a member that ended during the grace counts as: EXITED after TERM, else KILLED. */
  private Result endedInGrace;
  /** Members at the start of the last kill pass: a pass that adds none is the last. */
  private int size = -1;
  /** A re-scan after every member was gone found nothing new. */
  private boolean gone;
  /** Children the chase moved into the pen, by pid, and the cgroup each came from. */
  private final Map<Integer, String> chased = new HashMap<>();
  /** Rounds of one chase: a chain of that many links forked during one pass is caught. */
  private static final int CHASE_ROUNDS = 64;
  /** What the next pin pass moves into the pen or stops, recorded in the journal first. */
  private final List<Target> toPin = new ArrayList<>();

  FamilyKill(FamilyKiller killer, int index, Snapshot snapshot, Family family,
      Verdict.Kill verdict) {
    this.killer = killer;
    this.index = index;
    this.family = family;
    this.verdict = verdict;
    this.scanned = snapshot;
    for (Family.Member m : family.members()) {
      Target t = new Target(m.proc(), m.depth());
      if (m.proc().dead()) {
        t.result = Result.ZOMBIE;
      }
      targets.put(m.proc().id(), t);
      killer.inProgress.claim(m.proc().id(), this);
      t.proc.credentials().ifPresent(c -> uids.add(c.ruid()));
    }
  }

  /** Whether the kill has ended (killed, survived, or called off). */
  boolean over() {
    return ended != null;
  }

  boolean penned() {
    return pen != null;
  }

  long graceEnds() {
    return graceEnds;
  }

  boolean gone() {
    return gone;
  }

  /** A re-scan after every member was gone found nothing new: the family is gone. */
  void markGone() {
    gone = true;
  }

  /** A re-scan after every member was gone found new ones: the next pass goes ahead. */
  void rescanned() {
    size = -1;
  }

  /** Starts a kill pass; false when the family did not grow since the last one. */
  boolean grew() {
    if (targets.size() == size) {
      return false;
    }
    size = targets.size();
    return true;
  }

  /** The pen the family is killed in; recorded in the journal before this. */
  synchronized void penIn(Pen p) {
    pen = p;
  }

  /** Why the family is killed without a pen, for the report. */
  void noPen(String why) {
    note.append("no cgroup to pen the family in (").append(why).append("); ");
  }

  /**
   * Why a live member may no longer be signalled: the hard floor, on credentials read now (all
   * four uids), not as they were at the scan. A member that ran a setuid program since (from a
   * trap on TERM, say) keeps its pid and start time, so identity alone would let it be hit.
   */
  Optional<String> recheck(Snapshot fresh) {
    return recheck(fresh, false);
  }

  /**
   * {@link #recheck(Snapshot)}, of every live member or, with {@code sincePinned}, of those not
   * read since they were pinned in the frozen pen: a frozen process cannot exec or change its
   * credentials, and only root can thaw the pen, so what was read then still holds. (A process
   * stopped with SIGSTOP is read every time: any process of its user may send it SIGCONT.)
   */
  private Optional<String> recheck(Snapshot fresh, boolean sincePinned) {
    List<Target> checked = new ArrayList<>();
    List<Integer> pids = new ArrayList<>();
    for (Target t : live()) {
      Proc now = fresh.processes().get(t.proc.pid());
      if (now != null && now.startTicks() == t.proc.startTicks() && !now.dead()
          && !(sincePinned && t.readWhilePinned)) {
        checked.add(t);
        pids.add(now.pid());
      }
    }
    if (pids.isEmpty()) {
      return Optional.empty();
    }
    Snapshot read = killer.procfs.readNow(fresh, pids, Part.CREDENTIALS);
    for (int pid : pids) {
      Optional<String> why = killer.floor.protects(read, fresh.processes().get(pid));
      if (why.isPresent()) {
        return Optional.of("a member became protected during the kill: " + why.get());
      }
    }
    if (pen != null && penFrozen) {
      for (Target t : checked) {
        t.readWhilePinned = t.origin != null;
      }
    }
    return Optional.empty();
  }

  /** Every process in the pen was seen frozen: it stays so until the pen is thawed. */
  void frozenSeen() {
    penFrozen = pen != null;
  }

  void freeze() throws PenFailed {
    penOp(() -> {
      pen.freeze();
      return true;
    });
  }

  /** Whether the pen is frozen (true without one); false too once the kill is called off. */
  boolean frozen() throws PenFailed {
    return pen == null || penOp(pen::frozen);
  }

  void noteNotFrozen() {
    penFrozen = false;
    note.append("the cgroup did not freeze within ").append(killer.limits.verifyTimeout())
        .append(" (a process in uninterruptible sleep?); ");
  }

  /**
   * The journal lines of the next pin pass: every live member that is not in the pen yet (with
   * the cgroup it leaves), or not stopped yet. {@link #pinPlanned} then acts on them.
   */
  List<String> planPin() {
    toPin.clear();
    List<String> lines = new ArrayList<>();
    for (Target t : live()) {
      if (pen == null) {
        if (!t.stopped) {
          toPin.add(t);
          lines.add(StopJournal.stopLine(t.proc.id()));
        }
        continue;
      }
      if (t.origin != null || !alive(t)) {
        continue;
      }
      Optional<String> origin = pen.cgroupOf(killer.procfs.root(), t.proc.pid());
      if (origin.isEmpty()) {
        continue; // gone
      }
      t.leaving = origin.get();
      toPin.add(t);
      lines.add(StopJournal.moveLine(t.proc.id(), pen, origin.get()));
    }
    return lines;
  }

  /**
   * Pins what {@link #planPin} planned, once the journal holds it: SIGSTOP, or a move into the
   * pen, where it freezes. A process whose pid was taken by another between the check and the
   * move is moved straight back.
   */
  void pinPlanned() throws PenFailed {
    List<Integer> moved = new ArrayList<>();
    for (Target t : toPin) {
      if (pen == null) {
        send(t, Signal.STOP);
        continue;
      }
      String origin = t.leaving;
      if (!penOp(() -> pen.admit(t.proc.pid()))) {
        continue;
      }
      t.origin = origin;
      familyOrigin = familyOrigin == null ? origin : familyOrigin;
      if (!alive(t) && killer.procfs.stat(t.proc.pid()).isPresent()) {
        penOp(() -> pen.moveTo(origin, t.proc.pid())); // not ours: put it back
        t.origin = null;
      } else {
        moved.add(t.proc.pid());
      }
    }
    toPin.clear();
    chase(moved);
  }

  /**
   * Moves into the pen, wave after wave, the children that the processes just moved in made
   * before they were moved, and that are still outside: a chain whose newest link forks the
   * next every few ms is otherwise a re-scan behind after every pass. A child moved in is
   * treated as one born in the pen: its credentials are read, against the hard floor, by the
   * next re-scan, before any signal. Nothing is stopped this way (with SIGSTOP every process
   * is read first, so it has no such chase), and every move is in the journal first.
   */
  private void chase(List<Integer> moved) throws PenFailed {
    List<Integer> wave = moved;
    for (int round = 0; round < CHASE_ROUNDS && !wave.isEmpty(); round++) {
      List<Proc> kids = new ArrayList<>();
      List<String> origins = new ArrayList<>();
      List<String> lines = new ArrayList<>();
      for (int parent : wave) {
        for (int pid : killer.procfs.children(parent)) {
          Optional<Proc> kid = killer.procfs.stat(pid);
          if (kid.isEmpty() || kid.get().ppid() != parent || kid.get().kernelThread()
              || targets.containsKey(kid.get().id())) {
            continue;
          }
          Optional<String> origin = pen.cgroupOf(killer.procfs.root(), pid);
          if (origin.isEmpty() || origin.get().equals(pen.cgroupPath())) {
            continue; // gone, or born in the pen
          }
          kids.add(kid.get());
          origins.add(origin.get());
          lines.add(StopJournal.moveLine(kid.get().id(), pen, origin.get()));
        }
      }
      try {
        killer.journal.write(lines);
      } catch (IOException e) {
        return; // the next pass finds them, and calls the kill off at its journal write
      }
      List<Integer> next = new ArrayList<>();
      for (int i = 0; i < kids.size(); i++) {
        int pid = kids.get(i).pid();
        if (penOp(() -> pen.admit(pid))) {
          chased.put(pid, origins.get(i));
          next.add(pid);
        }
      }
      wave = next;
    }
  }

  /** Pins the live members right away, with a journal write of their own. */
  private Optional<String> pinNow() throws PenFailed {
    try {
      killer.journal.write(planPin());
    } catch (IOException e) {
      toPin.clear();
      return Optional.of("cannot write the journal: " + e.getMessage());
    }
    pinPlanned();
    return Optional.empty();
  }

  /** The first signal, to a pinned family; the grace after it starts now. */
  void firstSignal() throws PenFailed {
    Signal first = verdict.signal();
    if (first != Signal.KILL) {
      signalLive(first);
      signalLive(Signal.CONT);
      thaw();
      graceEnds = System.nanoTime() + verdict.killAfter().toNanos();
      endedInGrace = Result.EXITED;
    } else {
      killPinnedMembers();
      graceEnds = System.nanoTime() + killer.limits.verifyTimeout().toNanos();
      endedInGrace = Result.KILLED;
    }
  }

  /** Records who ended during the grace after the first signal. */
  void endGrace() {
    markEnded(endedInGrace);
  }

  /** Records the live members that are gone now as {@code result}. */
  void markEnded(Result result) {
    for (Target t : live()) {
      if (!alive(t)) {
        t.result = result;
      }
    }
  }

  /** Whether every live member is gone and the pen empty. */
  boolean settled() {
    for (Target t : live()) {
      if (alive(t)) {
        return false;
      }
    }
    return !penPopulated();
  }

  /** No member is left to kill (they may have made processes no re-scan has seen yet). */
  boolean nothingLeft() {
    return live().isEmpty() && !penPopulated();
  }

  /**
   * SIGKILL to what is pinned: the whole pen at once through cgroup.kill, else each live
   * member; a pen is thawed after, so that frozen processes take the signal (cgroup v1).
   */
  void killPinnedMembers() throws PenFailed {
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
    penFrozen = false;
    for (Target t : targets.values()) {
      t.readWhilePinned = false;
    }
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
   * Adds every new process of {@code scan} that descends from a live member, or that was
   * orphaned into the family's session while the session is still held by a live member (a
   * session id cannot be reused while any process is in it).
   */
  Discovery discover(Rescan scan) throws PenFailed {
    Snapshot fresh = scan.snapshot();
    ProcessTree tree = scan.tree();
    List<Proc> roots = new ArrayList<>();
    boolean sessionHeld = false;
    // Everything in the pen is the family's: only its members' children are born there.
    for (int pid : penPids()) {
      Proc p = fresh.processes().get(pid);
      if (p != null) {
        roots.add(p);
      }
    }
    for (Target t : targets.values()) {
      Proc now = fresh.processes().get(t.proc.pid());
      if (now != null && now.startTicks() == t.proc.startTicks()) {
        roots.add(now);
        sessionHeld |= now.sid() == family.sid() && !now.dead();
      }
    }
    // Processes orphaned into the family's session. While a member holds the session, its id
    // cannot be taken by another; once none does, only those born after the scan (a member
    // made them before it exited, so the id was never free) of a member's uid count.
    List<Integer> bornInSession = new ArrayList<>();
    for (Proc p : scan.orphansIn(family.sid())) {
      if (targets.containsKey(p.id())) {
        continue;
      }
      if (sessionHeld) {
        roots.add(p);
      } else if (Rescan.bornSince(scanned, p) && p.pid() != family.sid()) {
        // (a process whose pid is the session id made a new session of that id: the old
        // one had ended, since a session's id is not given out while anything holds it)
        bornInSession.add(p.pid());
      }
    }
    // And processes that left the session: a member that double-forked into a session of its
    // own between the scan and its pinning. Such a process counts when it was born after the
    // scan, re-parented to init, of a member's uid, and either sits in the very cgroup a member
    // was moved into the pen from (not the root cgroup, which names no one) or runs the very
    // program of a member, same executable and command line (a fork without exec).
    List<Integer> escaped = new ArrayList<>();
    for (Proc p : scan.bornOrphans()) {
      if (p.sid() != family.sid() && !targets.containsKey(p.id())) {
        escaped.add(p.pid());
      }
    }
    int before = targets.size();
    Made made = madeByMembers(scan, bornInSession, escaped);
    // (those pinned on sight are members already, and count as found)
    int pinnedOnSight = targets.size() - before;
    if (made.abortReason().isPresent()) {
      return new Discovery(0, made.abortReason());
    }
    roots.addAll(made.roots());
    // Every member is stopped now and cannot change its credentials until it is resumed: what
    // it runs as now is what the next signal hits.
    Optional<String> changed = recheck(fresh, true);
    if (changed.isPresent()) {
      return new Discovery(0, changed);
    }
    Map<Integer, Integer> depthOf = new LinkedHashMap<>();
    List<Family.Member> reach = tree.descend(roots, killer.inits);
    Set<ProcId> known = new HashSet<>(targets.keySet());
    List<Integer> newPids = new ArrayList<>();
    for (Family.Member m : reach) {
      if (!known.contains(m.proc().id())) {
        newPids.add(m.proc().pid());
        depthOf.put(m.proc().pid(), depthBelowKnown(fresh, m.proc()));
      }
    }
    if (newPids.isEmpty()) {
      return new Discovery(pinnedOnSight, Optional.empty());
    }
    Snapshot described = killer.procfs.readNow(fresh, newPids, Part.FULL_WITH_CGROUP);
    int added = pinnedOnSight;
    for (int pid : newPids) {
      Proc p = fresh.processes().get(pid);
      Optional<String> why = killer.floor.protects(described, p);
      if (why.isPresent()) {
        return new Discovery(
            added,
            Optional.of("a protected process joined the family during the kill: " + why.get()));
      }
      if (described.vanished(pid)) {
        continue;
      }
      if (!killer.inProgress.claim(p.id(), this)) {
        continue; // another family's kill took it first
      }
      Target t = new Target(p, depthOf.get(pid));
      t.joined = true;
      t.origin = chased.remove(pid); // (null unless the chase moved it into the pen)
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
  private Made madeByMembers(Rescan scan, List<Integer> bornInSession, List<Integer> escaped)
      throws PenFailed {
    if (bornInSession.isEmpty() && (escaped.isEmpty() || uids.isEmpty())) {
      return new Made(List.of(), Optional.empty());
    }
    Snapshot fresh = scan.snapshot();
    List<Proc> made = new ArrayList<>();
    for (int pid : bornInSession) {
      Snapshot read = killer.procfs.readNow(fresh, List.of(pid), Part.CREDENTIALS);
      Optional<Long> ruid = read.get(pid).flatMap(Proc::credentials)
          .map(c -> c.ruid());
      if (ruid.isEmpty() || read.vanished(pid)) {
        continue;
      }
      if (uids.isEmpty()) {
        uids.add(ruid.get());
      }
      if (!uids.contains(ruid.get())) {
        continue; // another user's: not one a member made
      }
      Proc p = fresh.processes().get(pid);
      Optional<String> why = killer.floor.protects(read, p);
      if (why.isPresent()) {
        return new Made(made, Optional.of(
            "a protected process joined the family during the kill: " + why.get()));
      }
      if (!killer.inProgress.claim(p.id(), this)) {
        continue; // another family's kill took it first
      }
      Target t = new Target(p, 0);
      t.joined = true;
      synchronized (this) {
        targets.put(p.id(), t);
      }
      Optional<String> failed = pinNow();
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
      if (t.proc.exe().isPresent() && !t.proc.cmdline().isEmpty()) {
        programs.add(List.of(t.proc.exe().get(), t.proc.cmdline()));
      }
    }
    Snapshot read = scan.bornOrphansDescribed();
    for (int pid : escaped) {
      if (inOtherPen(scan, pid)) {
        continue; // born in another family's pen: that family's, whatever program it runs
      }
      Optional<Proc> d = read.described(pid);
      boolean mine = d.flatMap(Proc::credentials).map(c -> uids.contains(c.ruid()))
          .orElse(false) && !read.vanished(pid);
      if (mine && (pen != null
          && scan.cgroupOf(pen.hierarchy(), killer.procfs.root(), pid)
              .map(origins::contains).orElse(false)
          || d.get().exe().isPresent()
          && programs.contains(List.of(d.get().exe().get(), d.get().cmdline())))
          && killer.inProgress.claim(fresh.processes().get(pid).id(), this)) {
        made.add(fresh.processes().get(pid));
      }
    }
    return new Made(made, Optional.empty());
  }

  /**
   * Whether {@code pid} sits in the pen of another family of this run. Everything in a pen is
   * its family's (only its members' children are born there); taken by another family's kill
   * for its program, it would be left in that pen, which its own kill could then not remove,
   * and thaw.
   */
  private boolean inOtherPen(Rescan scan, int pid) {
    if (pen == null) {
      return false;
    }
    Optional<String> cgroup = scan.cgroupOf(pen.hierarchy(), killer.procfs.root(), pid);
    return cgroup.isPresent() && !cgroup.get().equals(pen.cgroupPath())
        && killer.containment.isPen(pen.hierarchy(), cgroup.get());
  }

  private int depthBelowKnown(Snapshot fresh, Proc p) {
    Proc parent = fresh.processes().get(p.ppid());
    if (parent != null) {
      Target t = targets.get(parent.id());
      if (t != null) {
        return t.depth + 1;
      }
    }
    return 0;
  }

  /** Marks the family as grown faster than it could be pinned: it is not called killed. */
  void unpinned() {
    unpinned = true;
  }

  /** Calls the kill off: the family is put back as it was, and the reason noted. */
  void abort(String why) {
    if (over()) {
      return;
    }
    resumeStopped();
    for (Target t : targets.values()) {
      if (t.result == null) {
        t.result = Result.SPARED;
      }
    }
    note.append(why);
    ended = KillOutcome.Status.ABORTED;
  }

  /** Ends the kill: what is still alive survived it. */
  void conclude() {
    if (over()) {
      return;
    }
    List<Integer> left = new ArrayList<>();
    for (Target t : live()) {
      t.result = Result.SURVIVED;
      left.add(t.proc.pid());
    }
    if (unpinned) {
      // "killed" is a claim: a family that could not be pinned down may have left processes
      // no pass saw, so it is not reported killed even when every process seen is gone.
      note.append("not killed: the family made processes faster than they could be ")
          .append(pen == null ? "stopped" : "penned").append("; pids seen last: ")
          .append(left.isEmpty() ? "none alive" : left.toString()).append("; ");
      ended = KillOutcome.Status.SURVIVED;
      return;
    }
    boolean anySurvivor = targets.values().stream().anyMatch(t -> t.result == Result.SURVIVED);
    boolean anySignalled = targets.values().stream().anyMatch(t -> !t.sent.isEmpty());
    ended = anySurvivor ? KillOutcome.Status.SURVIVED
        : anySignalled ? KillOutcome.Status.KILLED : KillOutcome.Status.VANISHED;
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
            && pen.moveTo(t.origin, t.proc.pid())) {
          resumed++;
        }
      }
      for (int pid : pen.pids()) {
        String back = chased.getOrDefault(pid, familyOrigin == null ? "/" : familyOrigin);
        if (pen.moveTo(back, pid)) {
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
   * Removes the pen; false while processes are in it (a process killed a moment ago counts
   * until it has fully exited).
   */
  synchronized boolean removePen() {
    if (pen == null || !pen.remove()) {
      return pen == null;
    }
    killer.containment.removed(pen);
    return true;
  }

  /** The pen could not be removed: what is left in it runs again, and the report says so. */
  synchronized void penLeft() {
    try {
      pen.thaw();
    } catch (IOException e) {
      // gone already
    }
    note.append("processes are left in ").append(pen.dir()).append("; ");
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
    Signaller.Outcome o = killer.signaller.send(t.proc.id(), s);
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

  /** Still the same process and not yet a zombie. */
  private boolean alive(Target t) {
    Optional<Proc> now = killer.procfs.stat(t.proc.pid());
    return now.isPresent() && now.get().startTicks() == t.proc.startTicks() && !now.get().dead();
  }

  private List<Target> live() {
    List<Target> live = new ArrayList<>();
    for (Target t : targets.values()) {
      if (t.result == null) {
        live.add(t);
      }
    }
    return live;
  }

  /** What the kill did, once it is {@link #over}. */
  KillOutcome outcome() {
    List<KillOutcome.MemberOutcome> members = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Target t : targets.values()) {
      members.add(
          new KillOutcome.MemberOutcome(t.proc, t.depth, t.result, t.sent));
      for (String f : t.failures) {
        failures.add("pid " + t.proc.pid() + ": " + f);
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
    String mechanism = killer.signaller.mechanism()
        + (pen == null ? "" : "+" + pen.hierarchy().label());
    return new KillOutcome(family, members, ended, mechanism, n);
  }

  /** One operation on the pen; false when it did nothing. */
  private interface PenAction {
    boolean run() throws IOException;
  }

  /** A pen operation failed: the kill is called off and the family put back. */
  static final class PenFailed extends Exception {
    PenFailed(String message) {
      super(message, null, false, false);
    }
  }

  /** Processes a member made, found by {@code madeByMembers}, or why the kill must stop. */
  private record Made(List<Proc> roots, Optional<String> abortReason) {}

  /** What one re-scan found: how many members it added, or why the kill must stop. */
  record Discovery(int added, Optional<String> abortReason) {}

  /** One process being killed. */
  private static final class Target {
    final Proc proc;
    final int depth;
    final List<Signal> sent = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    boolean stopped;
    boolean joined;
    /** Its credentials were read while it was in the frozen pen, and it has been since. */
    boolean readWhilePinned;
    /** The cgroup it was in before it was penned; null while it is not in the pen. */
    String origin;
    /** The cgroup it is leaving for the pen in the pin pass under way. */
    String leaving;
    Result result; // null while the process may still be alive

    Target(Proc proc, int depth) {
      this.proc = proc;
      this.depth = depth;
    }
  }
}
