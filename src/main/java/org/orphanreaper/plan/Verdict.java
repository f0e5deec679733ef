package org.orphanreaper.plan;

import java.time.Duration;
import java.util.Optional;
import org.orphanreaper.base.Signal;

/** What the plan says about one family, with the reason that goes to the listing and syslog. */
public sealed interface Verdict permits Verdict.Kill, Verdict.Report, Verdict.Keep {

  String reason();

  /** The rule that decided, when one did. */
  Optional<String> rule();

  /** Signal the whole family: {@code signal} first, then KILL after {@code killAfter}. */
  record Kill(String reason, Signal signal, Duration killAfter, String ruleName)
      implements Verdict {
    @Override
    public Optional<String> rule() {
      return Optional.of(ruleName);
    }
  }

  /** List and log the family, never signal it. */
  record Report(String reason, String ruleName) implements Verdict {
    @Override
    public Optional<String> rule() {
      return Optional.of(ruleName);
    }
  }

  /**
   * Leave the family alone.
   *
   * @param protectedBy true when the hard floor or a protect entry spared it
   * @param ruleName the keep rule or protect entry that spared it, if one did
   * @param unjudged true when it was left alone because a batch system could not say whether a
   *     member belongs to a running job: the run fails closed for it, and exits non-zero
   */
  record Keep(String reason, boolean protectedBy, Optional<String> ruleName, boolean unjudged)
      implements Verdict {
    public Keep(String reason, boolean protectedBy) {
      this(reason, protectedBy, Optional.empty(), false);
    }

    public Keep(String reason, boolean protectedBy, Optional<String> ruleName) {
      this(reason, protectedBy, ruleName, false);
    }

    /** A family a batch system could not judge: "not judged: pid 4325 ...". */
    public static Keep unjudged(String why) {
      return new Keep("not judged: " + why, false, Optional.empty(), true);
    }

    @Override
    public Optional<String> rule() {
      return ruleName;
    }
  }
}
