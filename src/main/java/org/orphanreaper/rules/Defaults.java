package org.orphanreaper.rules;

import java.time.Duration;
import java.util.OptionalLong;
import org.orphanreaper.base.Signal;

/**
 * The file's {@code defaults}; command-line options override them.
 *
 * @param minUid empty: UID_MIN of /etc/login.defs; a uid, 1 to 4294967295
 * @param scope which families are candidates at all
 * @param maxKillsPerRun a plan that would kill more families kills none (circuit breaker)
 * @param maxFraction a plan that would kill more than this share of the node's user processes
 *     kills none
 * @param grace how long a family must have been selected, over runs, before it is acted on
 */
public record Defaults(OptionalLong minUid, Signal signal, Duration killAfter, Scope scope,
    int maxKillsPerRun, double maxFraction, Duration grace) {

  /** Which processes are candidates for the rules. */
  public enum Scope {
    /** Families whose roots have init (or a configured subreaper) as parent. */
    ORPHANS,
    /**
     * Every process of a uid at or above min_uid that does not descend from a verified anchor
     * (prune_userprocs' epilogue view), orphaned or not.
     */
    LINEAGE;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final Defaults BUILT_IN = new Defaults(OptionalLong.empty(), Signal.TERM,
      Duration.ofSeconds(10), Scope.ORPHANS, 100, 1.0, Duration.ZERO);
}
