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
    // A family whose members all exited while the scan read them is judged like any other: a
    // pid hopper (each process starts the next and exits) looks exactly like that, and the kill
    // finds what its session holds now, or reports the family vanished.
    return policy.judge(snapshot, f);
  }
}
