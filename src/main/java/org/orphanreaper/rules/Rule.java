package org.orphanreaper.rules;

import java.time.Duration;
import java.util.Optional;
import org.orphanreaper.base.Signal;

/**
 * One entry of {@code rules}: the first rule whose selector matches a family decides its action.
 *
 * @param signal the first signal of a {@code kill} rule; empty: the defaults' signal
 * @param killAfter how long a {@code kill} rule waits before KILL; empty: the defaults'
 * @param grace how long a family must have been selected by this rule, over runs, before it is
 *     acted on; empty: the defaults'
 * @param immediate act on the first sighting whatever the grace
 * @param line where the rule starts in its file, for messages
 */
public record Rule(
    String name,
    Selector selector,
    Action action,
    Optional<Signal> signal,
    Optional<Duration> killAfter,
    Optional<Duration> grace,
    boolean immediate,
    int line) {

  /** What a matching rule does to the family. */
  public enum Action {
    /** Signal the whole family. */
    KILL,
    /** List and log it, never signal it. */
    REPORT,
    /** Spare it explicitly. */
    KEEP;

    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
