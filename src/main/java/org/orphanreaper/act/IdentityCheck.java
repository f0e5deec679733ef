package org.orphanreaper.act;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import org.orphanreaper.act.Signaller.Outcome;
import org.orphanreaper.base.ProcId;

/** Re-reads a start time just before a signal: does the target still hold its pid? */
final class IdentityCheck {

  private final IntFunction<OptionalLong> startTicksOf;

  /**
   * @param startTicksOf a process's current start time in clock ticks since boot, empty when no
   *     process has that pid; it may throw {@link RuntimeException} when it cannot tell
   */
  IdentityCheck(IntFunction<OptionalLong> startTicksOf) {
    this.startTicksOf = Objects.requireNonNull(startTicksOf, "startTicksOf");
  }

  /**
   * Empty if the process now holding {@code target}'s pid started when {@code target} did;
   * otherwise the outcome to report instead of signalling: GONE, or FAILED when it cannot tell.
   */
  Optional<Outcome> refusal(ProcId target) {
    OptionalLong now;
    try {
      now = startTicksOf.apply(target.pid());
    } catch (RuntimeException e) {
      // Unreadable is not "gone": nothing is sent, and the caller hears it failed.
      return Optional.of(Outcome.FAILED);
    }
    if (now.isEmpty() || now.getAsLong() != target.startTicks()) {
      return Optional.of(Outcome.GONE);
    }
    return Optional.empty();
  }
}
