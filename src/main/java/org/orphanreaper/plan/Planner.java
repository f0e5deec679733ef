package org.orphanreaper.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;

/** The pure decision: the hard floor first, then the policy, for every orphaned family. */
public final class Planner {

  private final HardFloor floor;
  private final Policy policy;

  public Planner(HardFloor floor, Policy policy) {
    this.floor = floor;
    this.policy = policy;
  }

  public Plan plan(Snapshot snapshot, List<Family> families) {
    List<Decision> decisions = new ArrayList<>(families.size());
    for (Family f : families) {
      decisions.add(new Decision(f, judge(snapshot, f)));
    }
    return new Plan(snapshot, decisions);
  }

  public Verdict judge(Snapshot snapshot, Family f) {
    Optional<String> protectedBy = floor.protects(snapshot, f);
    if (protectedBy.isPresent()) {
      return new Verdict.Keep("protected: " + protectedBy.get(), true);
    }
    if (allVanished(snapshot, f)) {
      return new Verdict.Keep("every member exited during the scan", false);
    }
    return policy.judge(snapshot, f);
  }

  private static boolean allVanished(Snapshot snapshot, Family f) {
    for (Family.Member m : f.members()) {
      if (!snapshot.vanished().contains(m.stat().pid())) {
        return false;
      }
    }
    return true;
  }
}
