package org.orphanreaper.act;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import org.orphanreaper.base.ProcId;
import org.orphanreaper.base.Signal;

/** Signals a process through a pidfd, so that a pid reused since the scan is never hit. */
public final class PidfdSignaller implements Signaller {

  private final PidfdCalls calls;
  private final IdentityCheck identity;

  /**
   * @param startTicksOf a process's current start time in clock ticks since boot, empty when no
   *     process has that pid; it may throw {@link RuntimeException} when it cannot tell
   */
  PidfdSignaller(PidfdCalls calls, IntFunction<OptionalLong> startTicksOf) {
    this.calls = Objects.requireNonNull(calls, "calls");
    this.identity = new IdentityCheck(startTicksOf);
  }

  @Override
  public Outcome send(ProcId target, Signal signal) {
    if (target.pid() <= 0) {
      // Not a process id; kept away from the kernel whatever the caller's bug.
      return Outcome.FAILED;
    }
    int fd = calls.open(target.pid());
    if (fd < 0) {
      return ErrnoOutcome.of(-fd);
    }
    try {
      // The pidfd pins the process that had this pid when it was opened. Once that process is
      // seen with the scanned start time, the signal can only reach it (or fail with ESRCH if it
      // has died since), never a process that got the pid later: hence open first, check second.
      Optional<Outcome> refusal = identity.refusal(target);
      if (refusal.isPresent()) {
        return refusal.get();
      }
      int rc = calls.sendSignal(fd, signal.number());
      return rc == 0 ? Outcome.SENT : ErrnoOutcome.of(-rc);
    } finally {
      calls.close(fd);
    }
  }

  @Override
  public String mechanism() {
    return "pidfd";
  }
}
