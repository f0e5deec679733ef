package org.orphanreaper.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.rules.RuleSet;
import org.orphanreaper.rules.Trail;
import org.orphanreaper.tree.Family;

/**
 * The one decision procedure. For every family: the hard floor, a running job, the command line's
 * thresholds, the batch systems' doubts, the rules, then the grace of a kill; last the circuit
 * breaker over the whole plan. A run acts on the plan, and {@code --explain} prints a family's
 * steps from the same plan, so the two cannot disagree. Pure: what it reads of the node (the
 * snapshot, the grace state, the count of user processes) it is given.
 *
 * @param grace the first sightings as read; consulted only when a rule waits
 */
public record Planner(HardFloor floor, RulePolicy policy, Grace grace, CircuitBreaker breaker) {

  /**
   * @param userProcesses counts the node's user processes for the breaker's share; asked only
   *     when the plan kills, since it reads /proc for processes the scan did not describe
   */
  public Plan plan(Snapshot snapshot, List<Family> families, IntSupplier userProcesses) {
    RuleSet rules = policy.evaluator().rules();
    boolean waits = Grace.used(rules);
    Map<String, Instant> sightings = new HashMap<>();
    List<Decision> decisions = new ArrayList<>(families.size());
    for (Family f : families) {
      List<Step> steps = new ArrayList<>();
      Verdict v = judge(snapshot, f, steps);
      if (waits && v instanceof Verdict.Kill k) {
        Step.GracePeriod period = grace.period(f, k, rules);
        steps.add(period);
        // Remembered whether or not it is over: the state holds exactly the families a rule
        // would kill now, so the gone ones are pruned.
        sightings.put(Grace.key(f, k.ruleName()), period.since());
        if (!period.over()) {
          v = Grace.keeps(period);
        }
      }
      decisions.add(new Decision(f, v, steps));
    }
    List<Decision> kills = decisions.stream().filter(Decision::kills).toList();
    Optional<String> tripped = kills.isEmpty() ? Optional.empty()
        : breaker.trips(kills, userProcesses.getAsInt());
    if (tripped.isPresent()) {
      Step held = new Step.HeldBack(tripped.get());
      decisions = decisions.stream().map(d -> d.kills() ? d.then(held) : d).toList();
    }
    return new Plan(snapshot, decisions, tripped, sightings);
  }

  /** One family's own verdict, before grace and the breaker; {@code steps} gets the trail. */
  private Verdict judge(Snapshot s, Family f, List<Step> steps) {
    Optional<String> protectedBy = floor.protects(s, f);
    steps.add(new Step.Floor(protectedBy));
    if (protectedBy.isPresent()) {
      return new Verdict.Keep("protected: " + protectedBy.get(), true);
    }
    // A family whose members all exited while the scan read them is judged like any other: a
    // pid hopper (each process starts the next and exits) looks exactly like that, and the kill
    // finds what its session holds now, or reports the family vanished.
    if (f.members().stream().allMatch(m -> s.vanished(m.proc().pid()))) {
      steps.add(new Step.AllVanished());
    }
    Optional<String> job = policy.legitimate(s, f);
    if (job.isPresent()) {
      steps.add(new Step.RunningJob(job.get()));
      return new Verdict.Keep("protected: " + job.get(), true);
    }
    Optional<String> below = policy.belowThresholds(s, f);
    if (below.isPresent()) {
      steps.add(new Step.Thresholds(below.get()));
      return new Verdict.Keep(below.get(), false);
    }
    Optional<String> unknown = policy.unjudged(f);
    if (unknown.isPresent()) {
      steps.add(new Step.Unjudged(unknown.get()));
      return Verdict.Keep.unjudged(unknown.get());
    }
    Trail trail = policy.evaluator().evaluate(s, f);
    steps.add(new Step.Rules(trail));
    return policy.verdict(trail, f);
  }
}
