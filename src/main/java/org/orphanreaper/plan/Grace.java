package org.orphanreaper.plan;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * @param firstSeen when each family was first selected, by {@link #key}, as the state was read
 * @param now the run's time, in whole seconds: as a first sighting is remembered and read back
 * @param stateProblem why the state could not be used: every family then starts its grace now,
 *     so a bad state never makes one eligible earlier
 */
public record Grace(Map<String, Instant> firstSeen, Instant now, Optional<String> stateProblem) {

  public Grace {
    firstSeen = Map.copyOf(firstSeen);
    now = now.truncatedTo(ChronoUnit.SECONDS);
  }

  /** No sightings: for runs whose rules never wait, which read no state. */
  public static Grace none(Instant now) {
    return new Grace(Map.of(), now, Optional.empty());
  }

  public static String key(Family f, String rule) {
    return f.root().pid() + ":" + f.root().startTicks() + ":" + rule;
  }

  /** Whether any rule waits at all, so that the state is worth keeping. */
  public static boolean used(RuleSet rules) {
    return !rules.defaults().grace().isZero()
        || rules.rules().stream().anyMatch(r -> r.grace().filter(g -> !g.isZero()).isPresent());
  }

  /** How far the family that {@code kill} would kill is into its rule's grace. */
  Step.GracePeriod period(Family f, Verdict.Kill kill, RuleSet rules) {
    Duration grace = rules.rules().stream().filter(r -> r.name().equals(kill.ruleName()))
        .findFirst().map(r -> of(r, rules))
        .orElse(Duration.ZERO); // the epilogue acts at once
    Instant seen = firstSeen.get(key(f, kill.ruleName()));
    Instant since = seen == null || seen.isAfter(now)
        ? now // first sighting; or the clock went back: never count time that did not pass
        : seen;
    return new Step.GracePeriod(kill.ruleName(), grace, since, now, seen != null, stateProblem);
  }

  /** What a family whose grace is not over gets instead of its kill. */
  static Verdict.Keep keeps(Step.GracePeriod p) {
    return new Verdict.Keep("grace: selected by rule '" + p.rule() + "' for "
        + p.waited().getSeconds() + "s of " + p.grace().getSeconds() + "s; acted on from "
        + p.actedOnFrom(), false, Optional.of(p.rule()));
  }

  /** A rule's grace: none when immediate, else its own, else the defaults'. */
  static Duration of(Rule r, RuleSet rules) {
    return r.immediate() ? Duration.ZERO : r.grace().orElse(rules.defaults().grace());
  }
}
