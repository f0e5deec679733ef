package org.orphanreaper.plan;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.orphanreaper.proc.ProcStat;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.rules.Trail;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.ProcessTree;

/** Builds the decision trail of one process by the same steps a run takes for its family. */
public record Explainer(HardFloor floor, RulePolicy policy) {

  /**
   * @param families the orphaned families of the snapshot
   * @return empty when {@code pid} is not in the snapshot
   */
  public Optional<Explanation> explain(ProcessTree tree, List<Family> families, int pid) {
    Snapshot s = tree.snapshot();
    ProcStat p = s.processes().get(pid);
    if (p == null) {
      return Optional.empty();
    }
    List<ProcStat> ancestry = tree.ancestry(pid).stream()
        .map(s.processes()::get).filter(Objects::nonNull).toList();
    Optional<Family> family = families.stream().filter(f -> f.pids().contains(pid)).findFirst();
    if (family.isEmpty()) {
      String why = notOrphaned(s, p, ancestry);
      return Optional.of(new Explanation(p, ancestry, family, why, Optional.empty(),
          Optional.empty(), Optional.empty(), new Verdict.Keep(why, false)));
    }
    Family f = family.get();
    String orphaned = orphaned(s, f, pid);
    Optional<String> protectedBy = floor.protects(s, f).or(() -> policy.legitimate(s, f));
    if (protectedBy.isPresent()) {
      return Optional.of(new Explanation(p, ancestry, family, orphaned, protectedBy,
          Optional.empty(), Optional.empty(),
          new Verdict.Keep("protected: " + protectedBy.get(), true)));
    }
    Optional<String> below = policy.belowThresholds(s, f);
    if (below.isPresent()) {
      return Optional.of(new Explanation(p, ancestry, family, orphaned, Optional.empty(), below,
          Optional.empty(), new Verdict.Keep(below.get(), false)));
    }
    Optional<String> unknown = policy.unjudged(f);
    if (unknown.isPresent()) {
      return Optional.of(new Explanation(p, ancestry, family, orphaned, Optional.empty(),
          Optional.empty(), Optional.empty(), Verdict.Keep.unjudged(unknown.get())));
    }
    Trail trail = policy.evaluator().evaluate(s, f);
    return Optional.of(new Explanation(p, ancestry, family, orphaned, Optional.empty(),
        Optional.empty(), Optional.of(trail), policy.verdict(trail, f)));
  }

  private static String orphaned(Snapshot s, Family f, int pid) {
    if (f.origin() != Family.Origin.ORPHAN) {
      return (f.rootPids().contains(pid) ? "it is a root: " : "it descends from a root: ")
          + f.why();
    }
    ProcStat root = f.members().stream().map(Family.Member::stat)
        .filter(m -> f.rootPids().contains(m.pid())).filter(m -> m.sid() == f.sid())
        .findFirst().orElse(f.root());
    String head = f.rootPids().contains(pid) ? "it is a root of an orphaned family"
        : "it descends from orphaned root " + root.pid() + " (" + root.comm() + ")";
    return head + ": the root's parent is init (pid " + root.ppid() + ") and the root left"
        + " init's session (its session is " + f.sid() + ")";
  }

  private static String notOrphaned(Snapshot s, ProcStat p, List<ProcStat> ancestry) {
    if (p.pid() == Snapshot.INIT_PID) {
      return "not orphaned: it is init";
    }
    if (p.kernelThread()) {
      return "not orphaned: it is a kernel thread";
    }
    ProcStat top = ancestry.get(ancestry.size() - 1);
    if (top.pid() != Snapshot.INIT_PID) {
      return "not orphaned: its ancestry ends at pid " + top.pid() + " (" + top.comm()
          + "), not at init";
    }
    ProcStat belowInit = ancestry.size() >= 2 ? ancestry.get(ancestry.size() - 2) : p;
    return "not orphaned: its topmost ancestor below init, pid " + belowInit.pid() + " ("
        + belowInit.comm() + "), stayed in init's session " + belowInit.sid();
  }
}
