package org.orphanreaper.act;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import org.orphanreaper.base.ProcId;
import org.orphanreaper.base.Signal;

/** Signals a process with kill(2) after re-checking its start time: the fallback without pidfd. */
public final class KillSignaller implements Signaller {

  private final KillCall kill;
  private final IdentityCheck identity;

  /**
   * @param startTicksOf a process's current start time in clock ticks since boot, empty when no
   *     process has that pid; it may throw {@link RuntimeException} when it cannot tell
   */
  KillSignaller(KillCall kill, IntFunction<OptionalLong> startTicksOf) {
    this.kill = Objects.requireNonNull(kill, "kill");
    this.identity = new IdentityCheck(startTicksOf);
  }

  @Override
  public Outcome send(ProcId target, Signal signal) {
    if (target.pid() <= 0) {
      // kill(0) signals our own process group and kill(-1) every process we may signal.
      return Outcome.FAILED;
    }
    Optional<Outcome> refusal = identity.refusal(target);
    if (refusal.isPresent()) {
      return refusal.get();
    }
    // Remaining race, which pidfd closes: between the check above and kill(2) the target may
    // exit, be reaped by its parent, and its pid be given to a new process, which would then get
    // the signal. That needs the exit, the reap and the pid allocator coming round to this pid all
    // within microseconds: rare, but not impossible on a busy node with pid_max 32768. Checking
    // again after kill(2) could only tell of a wrong kill, not prevent it.
    int rc = kill.kill(target.pid(), signal.number());
    return rc == 0 ? Outcome.SENT : ErrnoOutcome.of(-rc);
  }

  @Override
  public String mechanism() {
    return "kill";
  }
}
