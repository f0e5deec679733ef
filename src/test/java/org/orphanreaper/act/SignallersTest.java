package org.orphanreaper.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.orphanreaper.act.Signaller.Outcome;
import org.orphanreaper.base.Signal;

class SignallersTest {

  private static final int ENOSYS = 38;
  private static final int EMFILE = 24;
  private static final int SELF = 31337;
  private static final IntFunction<OptionalLong> NO_PROCESS = pid -> OptionalLong.empty();

  private final FakePidfdCalls pidfd = new FakePidfdCalls();
  private final AtomicInteger killLoads = new AtomicInteger();
  private final Supplier<KillCall> kill =
      () -> {
        killLoads.incrementAndGet();
        return (pid, signal) -> 0;
      };

  @Test
  void choosesPidfdWhenOpeningOurOwnPidWorks() {
    Signaller chosen = Signallers.choose(() -> pidfd, kill, NO_PROCESS, SELF);

    assertThat(chosen).isInstanceOf(PidfdSignaller.class);
    assertThat(pidfd.log).as("probe fd closed").containsExactly("open 31337", "close 7");
    assertThat(killLoads).as("no kill(2) binding made").hasValue(0);
  }

  @Test
  void fallsBackToKillWithoutPidfdSyscall() {
    pidfd.openResult = -ENOSYS;

    Signaller chosen = Signallers.choose(() -> pidfd, kill, NO_PROCESS, SELF);

    assertThat(chosen).isInstanceOf(KillSignaller.class);
    assertThat(chosen.mechanism()).isEqualTo("kill");
    assertThat(pidfd.log).containsExactly("open 31337");
  }

  @Test
  void fallsBackToKillWhenSeccompOrAnythingElseRefusesTheProbe() {
    for (int errno : new int[] {ErrnoOutcome.EPERM, EMFILE}) {
      pidfd.openResult = -errno;

      assertThat(Signallers.choose(() -> pidfd, kill, NO_PROCESS, SELF))
          .as("errno %d", errno)
          .isInstanceOf(KillSignaller.class);
    }
  }

  @Test
  void fallsBackToKillWhenLibcLacksPidfdOpen() {
    // glibc < 2.36: jnr-ffi binds, then throws at the first call.
    PidfdCalls oldGlibc =
        new PidfdCalls() {
          @Override
          public int open(int pid) {
            throw new UnsatisfiedLinkError("pidfd_open");
          }

          @Override
          public int sendSignal(int pidfd, int signal) {
            throw new UnsatisfiedLinkError("pidfd_send_signal");
          }

          @Override
          public void close(int fd) {}
        };

    assertThat(Signallers.choose(() -> oldGlibc, kill, NO_PROCESS, SELF))
        .isInstanceOf(KillSignaller.class);
    assertThat(killLoads).hasValue(1);
  }

  @Test
  void choosesPidfdOnThisKernelAndItWorks() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
    Signaller live = Signallers.forLiveSystem(Path.of("/proc"));

    assertThat(live.mechanism()).as("kernel >= 5.3 and glibc >= 2.36 here").isEqualTo("pidfd");
    try (SpawnedProcess sleep = SpawnedProcess.sleeper()) {
      assertThat(live.send(sleep.id(), Signal.TERM)).isEqualTo(Outcome.SENT);
      assertThat(sleep.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(sleep.process().exitValue()).isEqualTo(143);
    }
  }

  @Test
  void anArchitectureWithoutACheckedTableGetsKillWithoutAnyPidfdCall() {
    Signaller chosen = Signallers.forArch(Optional.empty(), kill, NO_PROCESS, SELF);

    assertThat(chosen).isInstanceOf(KillSignaller.class);
    assertThat(killLoads).hasValue(1);
  }
}
