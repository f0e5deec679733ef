package org.orphanreaper.act;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.orphanreaper.act.KillOutcome.Result;
import org.orphanreaper.plan.HardFloor;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.ProcUnreadableException;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;

/**
 * Kills the families of a run so that none can outrun its kill, all of them in step. Every
 * member is pinned first: moved into a frozen {@link Pen} where the node has one (a child
 * forked by a penned process is born in the pen, whatever session it makes), else stopped with
 * SIGSTOP; the families are re-scanned until no new member appears. Then the first signal goes
 * out and the families run again to receive it; each family's grace after it runs from then, so
 * all of them wait their grace together. What is left when a grace is over is pinned again,
 * re-scanned and killed (the whole pen at once where the kernel has cgroup.kill), and the family
 * is verified gone and handed to the caller, which records it before the next ones are done.
 * Every signal goes through an identity-checking {@link Signaller}, and every member, old or
 * new, passes the hard floor on its credentials as they are once it is pinned, or that family's
 * kill is called off and the family put back as it was (resumed, moved back to its cgroups).
 * What is about to be stopped or penned is written to the {@link StopJournal} first.
 *
 * <p>Each step of the kill ({@link FamilyKill}) is taken for every family before the next one,
 * with one re-scan of /proc per pass for all of them and one journal write: 5,000 families cost
 * a few scans and a few thousand cgroup writes, not 5,000 scans.
 */
public final class FamilyKiller {

  /** Bounds on the kill loop. */
  public record Limits(int maxPasses, Duration poll, Duration verifyTimeout) {
    public static final Limits DEFAULT =
        new Limits(12, Duration.ofMillis(50), Duration.ofSeconds(5));
  }

  /** One family to kill, and how. */
  public record Order(Family family, Verdict.Kill verdict) {}

  /** The first wait between two looks at what is awaited; it doubles up to Limits.poll. */
  private static final long FIRST_POLL_NANOS = 1_000_000L;

  final ProcFs procfs;
  final Signaller signaller;
  final HardFloor floor;
  final Set<Integer> inits;
  final Limits limits;
  final KillsInProgress inProgress;
  final Containment containment;
  final StopJournal journal;

  /** A killer on SIGSTOP passes alone, with no journal: for tests of that path. */
  public FamilyKiller(
      ProcFs procfs, Signaller signaller, HardFloor floor, Set<Integer> inits, Limits limits) {
    this(procfs, signaller, floor, inits, limits, new KillsInProgress(),
        Containment.signalsOnly(), StopJournal.none());
  }

  /**
   * @param inProgress where this kill can be called off while it runs
   * @param containment where families are penned
   * @param journal where what is stopped or penned is recorded first
   */
  public FamilyKiller(ProcFs procfs, Signaller signaller, HardFloor floor, Set<Integer> inits,
      Limits limits, KillsInProgress inProgress, Containment containment, StopJournal journal) {
    this.procfs = procfs;
    this.signaller = signaller;
    this.floor = floor;
    this.inits = Set.copyOf(inits);
    this.limits = limits;
    this.inProgress = inProgress;
    this.containment = containment;
    this.journal = journal;
  }

  /** Kills {@code family} of {@code snapshot} as {@code verdict} says. */
  public KillOutcome kill(Snapshot snapshot, Family family, Verdict.Kill verdict) {
    return killAll(snapshot, List.of(new Order(family, verdict)), (i, o) -> {}).get(0);
  }

  /**
   * Kills every family of {@code orders}, all in step, and hands each outcome to {@code
   * finished} (with the family's index in {@code orders}) as soon as that family is done, on
   * the calling thread. Returns the outcomes in the order of {@code orders}.
   */
  public List<KillOutcome> killAll(Snapshot snapshot, List<Order> orders,
      BiConsumer<Integer, KillOutcome> finished) {
    List<FamilyKill> kills = new ArrayList<>();
    for (Order o : orders) {
      FamilyKill k = new FamilyKill(this, kills.size(), snapshot, o.family(), o.verdict());
      inProgress.add(k);
      kills.add(k);
    }
    KillOutcome[] outcomes = new KillOutcome[kills.size()];
    try {
      begin(kills, snapshot);
      end(select(kills, FamilyKill::over), outcomes, finished);
      List<FamilyKill> waiting = select(kills, k -> !k.over());
      while (!waiting.isEmpty()) {
        List<FamilyKill> due = due(waiting);
        finish(due, snapshot);
        end(due, outcomes, finished);
        waiting = select(waiting, k -> outcomes[k.index] == null);
      }
    } catch (RuntimeException | Error e) {
      // Never leave a family frozen behind a bug: resume whatever the unfinished kills stopped.
      for (FamilyKill k : kills) {
        if (outcomes[k.index] == null) {
          k.resumeStopped();
        }
      }
      throw e;
    } finally {
      kills.forEach(inProgress::remove);
    }
    return Arrays.asList(outcomes);
  }

  /**
   * The first half of every kill: members re-checked, pens made, every family pinned, then the
   * first signal to each.
   */
  private void begin(List<FamilyKill> kills, Snapshot scanned) {
    // A member may have become root's since the scan (su, sudo, a setuid program). What counts
    // is read again once the family is pinned, before its first signal (and before every
    // SIGSTOP pass); this first look spares the pinning of a family that is protected now.
    Optional<Rescan> fresh = rescan(kills, scanned);
    if (fresh.isEmpty()) {
      return;
    }
    for (FamilyKill k : kills) {
      k.recheck(fresh.get().snapshot()).ifPresent(k::abort);
    }
    openPens(select(kills, k -> !k.over()));
    List<FamilyKill> live = select(kills, k -> !k.over());
    pin(live, scanned);
    each(live, FamilyKill::firstSignal);
  }

  /** A pen for each family where the node has one, all recorded in the journal at once. */
  private void openPens(List<FamilyKill> kills) {
    List<FamilyKill> penned = new ArrayList<>();
    List<Pen> pens = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (FamilyKill k : kills) {
      Containment.Opened opened = containment.open();
      if (opened instanceof Containment.Opened.Penned p) {
        penned.add(k);
        pens.add(p.pen());
        lines.add(StopJournal.penLine(p.pen()));
      } else if (opened instanceof Containment.Opened.Unpenned u
          && containment.mode() != Containment.Mode.SIGNALS) {
        k.noPen(u.why());
      }
    }
    try {
      journal.write(lines);
    } catch (IOException e) {
      for (int i = 0; i < penned.size(); i++) {
        pens.get(i).remove();
        containment.removed(pens.get(i));
        penned.get(i).abort("cannot write the journal: " + e.getMessage());
      }
      return;
    }
    for (int i = 0; i < penned.size(); i++) {
      penned.get(i).penIn(pens.get(i));
    }
  }

  /**
   * Pins every live member of {@code kills} (into its pen, or with SIGSTOP), then re-scans and
   * adds new members, until a pass finds none. A kill whose family has a member the hard floor
   * protects is called off; a family still growing after the last pass is marked unpinned.
   */
  private void pin(List<FamilyKill> kills, Snapshot scanned) {
    // SIGSTOP reaches a process that may have run a setuid program since it was last read
    // (after TERM and SIGCONT, from a trap): read every member again first. (A pen is a move,
    // not a signal, and what is in it is read once it is frozen.)
    List<FamilyKill> unpenned = select(kills, k -> !k.over() && !k.penned());
    if (!unpenned.isEmpty()) {
      Optional<Rescan> fresh = rescan(unpenned, scanned);
      fresh.ifPresent(r -> unpenned.forEach(k -> k.recheck(r.snapshot()).ifPresent(k::abort)));
    }
    each(select(kills, FamilyKill::penned), FamilyKill::freeze);
    List<FamilyKill> growing = select(kills, k -> !k.over());
    for (int pass = 1; pass <= limits.maxPasses() && !growing.isEmpty(); pass++) {
      List<String> lines = new ArrayList<>();
      for (FamilyKill k : growing) {
        lines.addAll(k.planPin());
      }
      try {
        journal.write(lines);
      } catch (IOException e) {
        growing.forEach(k -> k.abort("cannot write the journal: " + e.getMessage()));
        return;
      }
      each(growing, FamilyKill::pinPlanned);
      awaitFrozen(select(growing, k -> !k.over()));
      Optional<Rescan> fresh = rescan(growing, scanned);
      if (fresh.isEmpty()) {
        return;
      }
      List<FamilyKill> grew = new ArrayList<>();
      each(growing, k -> {
        FamilyKill.Discovery found = k.discover(fresh.get());
        if (found.abortReason().isPresent()) {
          k.abort(found.abortReason().get());
        } else if (found.added() > 0) {
          grew.add(k);
        }
      });
      growing = select(grew, k -> !k.over());
    }
    growing.forEach(FamilyKill::unpinned);
  }

  /** Waits until every pen of {@code kills} is frozen; notes those that were not in time. */
  private void awaitFrozen(List<FamilyKill> kills) {
    long deadline = System.nanoTime() + limits.verifyTimeout().toNanos();
    long wait = FIRST_POLL_NANOS;
    List<FamilyKill> thawed = kills;
    while (true) {
      List<FamilyKill> pending = new ArrayList<>();
      each(thawed, k -> {
        if (k.frozen()) {
          k.frozenSeen();
        } else {
          pending.add(k);
        }
      });
      thawed = select(pending, k -> !k.over());
      if (thawed.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline >= 0 || !sleep(wait)) {
        thawed.forEach(FamilyKill::noteNotFrozen);
        return;
      }
      wait = Math.min(wait * 2, limits.poll().toNanos());
    }
  }

  /**
   * Waits until some of {@code waiting} are due to be finished: their grace after the first
   * signal is over, or every member is gone already. Families whose grace ends while others are
   * finished are due together at the next look.
   */
  private List<FamilyKill> due(List<FamilyKill> waiting) {
    while (true) {
      long now = System.nanoTime();
      List<FamilyKill> due = select(waiting, k -> now - k.graceEnds() >= 0 || k.settled());
      if (!due.isEmpty()) {
        return due;
      }
      long next = Long.MAX_VALUE;
      for (FamilyKill k : waiting) {
        next = Math.min(next, k.graceEnds() - now);
      }
      if (!sleep(Math.max(1, Math.min(next, limits.poll().toNanos())))) {
        return waiting; // interrupted: finish them all now
      }
    }
  }

  /**
   * The second half of the kills in {@code due}: what survived the first signal ran again and
   * may have forked, so it is pinned, and new members picked up, before each SIGKILL. Another
   * pass is worth it only while a family still grows; what ignores SIGKILL without growing
   * sits in uninterruptible sleep. When every known member is gone, a re-scan must find nothing
   * new before the family counts as gone: a member may have started a child on TERM and exited.
   */
  private void finish(List<FamilyKill> due, Snapshot scanned) {
    due.forEach(FamilyKill::endGrace);
    List<FamilyKill> active = select(due, k -> !k.over());
    for (int pass = 0; pass < limits.maxPasses() && !active.isEmpty(); pass++) {
      List<FamilyKill> emptied = select(active, FamilyKill::nothingLeft);
      if (!emptied.isEmpty()) {
        lookForNewMembers(emptied, scanned, k -> {});
      }
      List<FamilyKill> grown = select(active, k -> !k.over() && !k.gone() && k.grew());
      pin(grown, scanned);
      List<FamilyKill> pinned = select(grown, k -> !k.over());
      each(pinned, FamilyKill::killPinnedMembers);
      settle(select(pinned, k -> !k.over()), Result.KILLED);
      active = select(pinned, k -> !k.over());
    }
    // Still making processes after the last pass: what the last re-scan pinned is killed too,
    // and the family is not called killed.
    List<FamilyKill> last = select(due, k -> !k.over() && !k.gone() && k.nothingLeft());
    if (!last.isEmpty()) {
      List<FamilyKill> outgrew = new ArrayList<>();
      lookForNewMembers(last, scanned, outgrew::add);
      outgrew.forEach(FamilyKill::unpinned);
      each(outgrew, FamilyKill::killPinnedMembers);
      settle(select(outgrew, k -> !k.over()), Result.KILLED);
    }
    due.forEach(FamilyKill::conclude);
  }

  /**
   * One re-scan for families whose known members are all gone: a family that gained none is
   * gone; one that did is handed to {@code grew}.
   */
  private void lookForNewMembers(List<FamilyKill> kills, Snapshot scanned,
      java.util.function.Consumer<FamilyKill> grew) {
    Optional<Rescan> fresh = rescan(kills, scanned);
    if (fresh.isEmpty()) {
      return;
    }
    each(kills, k -> {
      FamilyKill.Discovery found = k.discover(fresh.get());
      if (found.abortReason().isPresent()) {
        k.abort(found.abortReason().get());
      } else if (found.added() == 0) {
        k.markGone();
      } else {
        k.rescanned();
        grew.accept(k);
      }
    });
  }

  /** Waits up to Limits.verifyTimeout for the kills' members to end, then records who did. */
  private void settle(List<FamilyKill> kills, Result ended) {
    long deadline = System.nanoTime() + limits.verifyTimeout().toNanos();
    long wait = FIRST_POLL_NANOS;
    List<FamilyKill> pending = kills;
    while (true) {
      pending = select(pending, k -> !k.settled());
      if (pending.isEmpty() || System.nanoTime() - deadline >= 0 || !sleep(wait)) {
        break;
      }
      wait = Math.min(wait * 2, limits.poll().toNanos());
    }
    kills.forEach(k -> k.markEnded(ended));
  }

  /**
   * Removes the pens of {@code kills} and hands each outcome over. A pen is left only while
   * processes are in it (a survivor in uninterruptible sleep); a process killed a moment ago
   * still counts until it has fully exited, so the removal is tried again for a while.
   */
  private void end(List<FamilyKill> kills, KillOutcome[] outcomes,
      BiConsumer<Integer, KillOutcome> finished) {
    long deadline = System.nanoTime() + limits.verifyTimeout().toNanos();
    long wait = FIRST_POLL_NANOS;
    List<FamilyKill> left = select(kills, k -> !k.removePen());
    while (!left.isEmpty() && System.nanoTime() - deadline < 0 && sleep(wait)) {
      left = select(left, k -> !k.removePen());
      wait = Math.min(wait * 2, limits.poll().toNanos());
    }
    left.forEach(FamilyKill::penLeft);
    for (FamilyKill k : kills) {
      outcomes[k.index] = k.outcome();
      finished.accept(k.index, outcomes[k.index]);
    }
  }

  /** A re-scan of /proc; empty, with every kill of {@code kills} called off, when unreadable. */
  private Optional<Rescan> rescan(List<FamilyKill> kills, Snapshot scanned) {
    try {
      return Optional.of(Rescan.now(procfs, inits, scanned));
    } catch (ProcUnreadableException e) {
      kills.forEach(k -> k.abort("procfs became unreadable during the kill"));
      return Optional.empty();
    }
  }

  /** One step of a kill. */
  private interface Step {
    void take(FamilyKill k) throws FamilyKill.PenFailed;
  }

  /** Takes {@code step} for each kill still going; a pen that fails calls off its kill. */
  private static void each(List<FamilyKill> kills, Step step) {
    for (FamilyKill k : kills) {
      if (k.over()) {
        continue;
      }
      try {
        step.take(k);
      } catch (FamilyKill.PenFailed e) {
        k.abort("the family's cgroup failed: " + e.getMessage());
      }
    }
  }

  private static List<FamilyKill> select(List<FamilyKill> kills, Predicate<FamilyKill> p) {
    List<FamilyKill> out = new ArrayList<>();
    for (FamilyKill k : kills) {
      if (p.test(k)) {
        out.add(k);
      }
    }
    return out;
  }

  private static boolean sleep(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000L, (int) (nanos % 1_000_000L));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
