package org.orphanreaper.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.orphanreaper.rules.Trail;

/**
 * One step the decision about a family took, in the order {@link Planner} takes them: the trail
 * {@code --explain} prints is the one the run acted on.
 */
public sealed interface Step permits Step.Floor, Step.AllVanished, Step.RunningJob,
    Step.Thresholds, Step.Unjudged, Step.Rules, Step.GracePeriod, Step.HeldBack {

  /** The hard floor: why it protects the family, or empty when it lets the family through. */
  record Floor(Optional<String> protects) implements Step {}

  /**
   * Every member exited while the scan read it. The family is judged like any other all the
   * same: a pid hopper (each process starts the next and exits) looks exactly like that, and
   * the kill takes what its session holds by then, or reports the family vanished.
   */
  record AllVanished() implements Step {}

  /** A member belongs to a running job: like the hard floor, no rule can override it. */
  record RunningJob(String job) implements Step {}

  /** The command line's {@code -c}/{@code -w} keep the family, whatever the rules say. */
  record Thresholds(String keeps) implements Step {}

  /** A batch system could not say whether a member belongs to a running job. */
  record Unjudged(String why) implements Step {}

  /** The rules' evaluation: protect entries first, then the first matching rule. */
  record Rules(Trail trail) implements Step {}

  /**
   * The grace of the rule that would kill the family.
   *
   * @param grace how long the rule must have selected the family; zero when it acts at once
   * @param since when it first selected it: now on the first sighting
   * @param remembered whether the grace state knew the family, so that {@code since} is not now
   * @param stateProblem why the grace state could not be used: every grace then starts now
   */
  record GracePeriod(String rule, Duration grace, Instant since, Instant now, boolean remembered,
      Optional<String> stateProblem) implements Step {

    public Duration waited() {
      return Duration.between(since, now);
    }

    public boolean over() {
      return waited().compareTo(grace) >= 0;
    }

    public Duration left() {
      return over() ? Duration.ZERO : grace.minus(waited());
    }

    public Instant actedOnFrom() {
      return since.plus(grace);
    }
  }

  /**
   * The circuit breaker holds the whole plan back, this kill with it: kill mode kills nothing.
   *
   * @param why the limit the plan is over
   */
  record HeldBack(String why) implements Step {}
}
