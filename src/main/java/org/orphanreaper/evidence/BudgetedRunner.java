package org.orphanreaper.evidence;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The batch-system calls of one run, sharing one budget of time: each call may take what is
 * left of it, at most its own limit, and once it is spent no call is made. A hung batch system
 * then costs a run the budget, not one time limit per call (a hung scontrol and a hung squeue
 * were 40 s, and every further job asked about 20 s more). A call that is not made fails like
 * one that timed out, so it leaves unjudged exactly what its answer would have judged.
 *
 * <p>What counts is the time spent in calls, not the time since the run began: scontrol listpids
 * runs while the families are read, and that reading must not eat into squeue's share. Calls
 * made at the same time would be counted each in full, which only ends the budget sooner.
 */
public final class BudgetedRunner implements CommandRunner {

  private final CommandRunner runner;
  private final Duration budget;
  private final LongSupplier nanoTime;
  /** Nanoseconds spent in calls so far. */
  private long spent;

  /**
   * @param budget the time all calls through this runner may take together
   * @param nanoTime the clock calls are timed on: {@link System#nanoTime}, or a test's
   */
  public BudgetedRunner(CommandRunner runner, Duration budget, LongSupplier nanoTime) {
    this.runner = runner;
    this.budget = budget;
    this.nanoTime = nanoTime;
  }

  @Override
  public Result run(List<String> argv, Duration timeout) throws EvidenceUnavailable {
    Duration left = left();
    if (left.isZero()) {
      throw new EvidenceUnavailable(CommandRunner.shown(argv) + " was not run: the "
          + budget.toSeconds() + "s this run may wait for batch-system commands are spent");
    }
    boolean cut = left.compareTo(timeout) < 0;
    long start = nanoTime.getAsLong();
    try {
      return runner.run(argv, cut ? left : timeout);
    } catch (EvidenceUnavailable e) {
      if (cut && nanoTime.getAsLong() - start >= left.toNanos()) {
        // it took all it had, the budget's end rather than its own limit: say why it had less
        throw new EvidenceUnavailable(e.getMessage() + ", all that was left of the "
            + budget.toSeconds() + "s this run may wait for batch-system commands");
      }
      throw e;
    } finally {
      spend(nanoTime.getAsLong() - start);
    }
  }

  /** What is left of the budget, in whole milliseconds (so messages show a readable limit). */
  private synchronized Duration left() {
    return Duration.ofMillis(Math.max(0, (budget.toNanos() - spent) / 1_000_000));
  }

  private synchronized void spend(long nanos) {
    spent += nanos;
  }
}
