package org.orphanreaper.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orphanreaper.rules.Rule;
import org.orphanreaper.rules.RuleSet;
import org.orphanreaper.tree.Family;

/**
 * LSF's orphan grace period, over runs: a family is acted on only once the same rule has selected
 * it for its grace. A family is known by its root's pid and start time, so a reused pid starts a
 * grace of its own; the whole family goes at once when its grace is over.
 *
 * @param firstSeen when each family was first selected, by {@link #key}
 */
public record Grace(Map<String, Instant> firstSeen, Instant now) {

  /** The plan with families still in their grace kept, and the state to remember. */
  public record Applied(Plan plan, Map<String, Instant> state) {}

  public Grace {
    firstSeen = Map.copyOf(firstSeen);
  }

  public static String key(Family f, String rule) {
    return f.root().pid() + ":" + f.root().startTicks() + ":" + rule;
  }

  /** Whether any rule waits at all, so that the state is worth keeping. */
  public static boolean used(RuleSet rules) {
    return !rules.defaults().grace().isZero()
        || rules.rules().stream().anyMatch(r -> r.grace().filter(g -> !g.isZero()).isPresent());
  }

  public Applied apply(Plan plan, RuleSet rules) {
    Map<String, Instant> state = new HashMap<>();
    List<Decision> out = new ArrayList<>();
    for (Decision d : plan.decisions()) {
      if (!(d.verdict() instanceof Verdict.Kill k)) {
        out.add(d);
        continue;
      }
      Duration grace = rules.rules().stream().filter(r -> r.name().equals(k.ruleName()))
          .findFirst().map(r -> of(r, rules))
          .orElse(Duration.ZERO); // the epilogue acts at once
      String key = key(d.family(), k.ruleName());
      Instant seen = firstSeen.getOrDefault(key, now);
      if (seen.isAfter(now)) {
        seen = now; // the clock went back: never count time that did not pass
      }
      state.put(key, seen);
      Duration waited = Duration.between(seen, now);
      if (waited.compareTo(grace) < 0) {
        out.add(new Decision(d.family(), new Verdict.Keep("grace: selected by rule '"
            + k.ruleName() + "' for " + waited.getSeconds() + "s of " + grace.getSeconds()
            + "s; acted on from " + seen.plus(grace), false, Optional.of(k.ruleName()))));
      } else {
        out.add(d);
      }
    }
    return new Applied(new Plan(plan.snapshot(), out), state);
  }

  /** A rule's grace: none when immediate, else its own, else the defaults'. */
  static Duration of(Rule r, RuleSet rules) {
    return r.immediate() ? Duration.ZERO : r.grace().orElse(rules.defaults().grace());
  }
}
