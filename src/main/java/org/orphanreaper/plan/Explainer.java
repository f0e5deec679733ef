package org.orphanreaper.plan;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.ProcessTree;

/**
 * The decision trail of one process: where it stands in the tree, and its family's decision
 * read from the plan a run would act on, never decided again here.
 */
public final class Explainer {

  private Explainer() {}

  /**
   * @param plan the whole plan of the snapshot: the circuit breaker judges all families at once
   * @return empty when {@code pid} is not in the snapshot
   */
  public static Optional<Explanation> explain(ProcessTree tree, Plan plan, int pid) {
    Snapshot s = tree.snapshot();
    Proc p = s.processes().get(pid);
    if (p == null) {
      return Optional.empty();
    }
    List<Proc> ancestry = tree.ancestry(pid).stream()
        .map(s.processes()::get).filter(Objects::nonNull).toList();
    Optional<Decision> decision = plan.decisions().stream()
        .filter(d -> d.family().pids().contains(pid)).findFirst();
    String orphaned = decision.map(d -> orphaned(d.family(), pid))
        .orElseGet(() -> notOrphaned(p, ancestry));
    return Optional.of(new Explanation(p, ancestry, orphaned, decision));
  }

  private static String orphaned(Family f, int pid) {
    if (f.origin() != Family.Origin.ORPHAN) {
      return (f.rootPids().contains(pid) ? "it is a root: " : "it descends from a root: ")
          + f.why();
    }
    Proc root = f.members().stream().map(Family.Member::proc)
        .filter(m -> f.rootPids().contains(m.pid())).filter(m -> m.sid() == f.sid())
        .findFirst().orElse(f.root());
    String head = f.rootPids().contains(pid) ? "it is a root of an orphaned family"
        : "it descends from orphaned root " + root.pid() + " (" + root.comm() + ")";
    return head + ": the root's parent is init (pid " + root.ppid() + ") and the root left"
        + " init's session (its session is " + f.sid() + ")";
  }

  private static String notOrphaned(Proc p, List<Proc> ancestry) {
    if (p.pid() == Snapshot.INIT_PID) {
      return "not orphaned: it is init";
    }
    if (p.kernelThread()) {
      return "not orphaned: it is a kernel thread";
    }
    Proc top = ancestry.get(ancestry.size() - 1);
    if (top.pid() != Snapshot.INIT_PID) {
      return "not orphaned: its ancestry ends at pid " + top.pid() + " (" + top.comm()
          + "), not at init";
    }
    Proc belowInit = ancestry.size() >= 2 ? ancestry.get(ancestry.size() - 2) : p;
    return "not orphaned: its topmost ancestor below init, pid " + belowInit.pid() + " ("
        + belowInit.comm() + "), stayed in init's session " + belowInit.sid();
  }
}
