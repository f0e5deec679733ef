package org.orphanreaper.act;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.orphanreaper.nativestub.NativeStub;
import org.orphanreaper.proc.ProcStatStartTicks;

/**
 * Chooses how this system signals: pidfd where the architecture's syscall numbers are known and
 * the kernel has the calls, else kill(2).
 *
 * <p>The native calls go through the JVM's one {@link org.orphanreaper.nativestub.LibcBinding},
 * made on first use (~160-350 ms): a run that signals nothing never calls this, and pays for the
 * binding only if its syslog socket needs it.
 */
public final class Signallers {

  private Signallers() {}

  /**
   * A signaller for this machine that re-reads start times from {@code <procRoot>/<pid>/stat}.
   *
   * @throws SignallingUnavailable if no native binding can be loaded at all (e.g. jffi's stub is
   *     missing, or cannot be extracted on a full disk): nothing can be signalled then
   */
  public static Signaller forLiveSystem(Path procRoot) {
    return forLiveSystem(new ProcStatStartTicks(procRoot));
  }

  /**
   * A signaller for this machine.
   *
   * @param startTicksOf a process's current start time in clock ticks since boot, empty when no
   *     process has that pid; it may throw {@link RuntimeException} when it cannot tell
   * @throws SignallingUnavailable if no native binding can be loaded at all
   */
  public static Signaller forLiveSystem(IntFunction<OptionalLong> startTicksOf) {
    // The stub first: with the installed one missing, jnr-ffi would have jffi extract another
    // into the temp directory, and load it from there.
    Optional<String> noStub = NativeStub.ofThisJvm().problem();
    if (noStub.isPresent()) {
      throw new SignallingUnavailable(noStub.get());
    }
    try {
      return forArch(
          PidfdSyscalls.ofThisJvm(),
          NativeKillCall::load,
          startTicksOf,
          Math.toIntExact(ProcessHandle.current().pid()));
    } catch (LinkageError e) {
      throw new SignallingUnavailable("native calls cannot be bound: " + e);
    }
  }

  /**
   * kill(2) at once where no syscall table was checked for this architecture (calling a number
   * from the wrong table would run some other system call); else the probe of {@link #choose}
   * through {@code syscall(2)} with the architecture's numbers.
   */
  static Signaller forArch(
      Optional<PidfdSyscalls> numbers,
      Supplier<KillCall> killCall,
      IntFunction<OptionalLong> startTicksOf,
      int selfPid) {
    if (numbers.isEmpty()) {
      return new KillSignaller(killCall.get(), startTicksOf);
    }
    return choose(() -> NativePidfdCalls.load(numbers.get()), killCall, startTicksOf, selfPid);
  }

  /**
   * Probes pidfd_open on {@code selfPid}: pidfd if it works, kill(2) if not.
   *
   * <p>ENOSYS means a kernel older than 5.3; EPERM, a seccomp filter that predates the call (older
   * container runtimes); UnsatisfiedLinkError, a libc without {@code syscall} (none is known). The
   * calls go by number through {@code syscall(2)}, so glibc's version does not matter (its
   * pidfd_open wrapper only came with 2.36). Any other failure also
   * falls back, since kill(2) with a start-time check is still safe enough to be the norm for such
   * systems, and {@link Signaller#mechanism()} tells reports which one is in use.
   */
  static Signaller choose(
      Supplier<PidfdCalls> pidfdCalls,
      Supplier<KillCall> killCall,
      IntFunction<OptionalLong> startTicksOf,
      int selfPid) {
    PidfdCalls calls;
    int fd;
    try {
      calls = pidfdCalls.get();
      fd = calls.open(selfPid);
    } catch (UnsatisfiedLinkError e) {
      return new KillSignaller(killCall.get(), startTicksOf);
    }
    if (fd < 0) {
      return new KillSignaller(killCall.get(), startTicksOf);
    }
    calls.close(fd);
    return new PidfdSignaller(calls, startTicksOf);
  }
}
