package org.orphanreaper.plan;

import java.time.Duration;
import org.orphanreaper.act.Signal;

/** What the plan says about one family, with the reason that goes to the listing and syslog. */
public sealed interface Verdict permits Verdict.Kill, Verdict.Keep {

  String reason();

  /** Signal the whole family: {@code signal} first, then KILL after {@code killAfter}. */
  record Kill(String reason, Signal signal, Duration killAfter) implements Verdict {}

  /**
   * Leave the family alone.
   *
   * @param protectedBy true when the hard floor spared it (no rule or option can change that)
   */
  record Keep(String reason, boolean protectedBy) implements Verdict {}
}
