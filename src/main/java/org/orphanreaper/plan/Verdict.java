package org.orphanreaper.plan;

import java.time.Duration;
import java.util.Optional;
import org.orphanreaper.act.Signal;

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
   */
  record Keep(String reason, boolean protectedBy, Optional<String> ruleName) implements Verdict {
    public Keep(String reason, boolean protectedBy) {
      this(reason, protectedBy, Optional.empty());
    }

    @Override
    public Optional<String> rule() {
      return ruleName;
    }
  }
}
