package org.orphanreaper.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.orphanreaper.base.Signal;

/**
 * The native calls hand back the kernel's errno. Signal 0 is used throughout: it only asks the
 * kernel whether a signal could be sent and delivers nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class NativeCallsLiveTest {

  private static final int EBADF = 9;
  private static final int ENOSYS = 38;

  private PidfdCalls pidfd;
  private KillCall kill;

  @BeforeAll
  void bind() {
    assumeTrue(Files.isReadable(SpawnedProcess.PROC.resolve("self/stat")), "needs Linux /proc");
    pidfd = NativePidfdCalls.load(SpawnedProcess.thisArch());
    kill = NativeKillCall.load();
  }

  @Test
  void aLiveChildCanBeOpenedAndSignalled() throws Exception {
    try (SpawnedProcess sleep = SpawnedProcess.sleeper()) {
      int fd = pidfd.open(sleep.pid());
      assertThat(fd).isNotNegative();
      try {
        assertThat(pidfd.sendSignal(fd, 0)).isZero();
      } finally {
        pidfd.close(fd);
      }
      assertThat(pidfd.sendSignal(fd, 0)).as("closed fd").isEqualTo(-EBADF);
      assertThat(kill.kill(sleep.pid(), 0)).isZero();
    }
  }

  @Test
  void aReapedChildIsEsrch() throws Exception {
    int pid;
    try (SpawnedProcess sleep = SpawnedProcess.sleeper()) {
      pid = sleep.pid();
    }
    assumeTrue(Files.notExists(Path.of("/proc/" + pid)), "pid already reused");

    assertThat(pidfd.open(pid)).isEqualTo(-ErrnoOutcome.ESRCH);
    assertThat(kill.kill(pid, 0)).isEqualTo(-ErrnoOutcome.ESRCH);
  }

  @Test
  void aPidfdOutlivesItsProcessAndThenAnswersEsrch() throws Exception {
    try (SpawnedProcess sleep = SpawnedProcess.sleeper()) {
      int fd = pidfd.open(sleep.pid());
      assertThat(fd).isNotNegative();
      try {
        sleep.killAndReap();

        assertThat(pidfd.sendSignal(fd, 0)).isEqualTo(-ErrnoOutcome.ESRCH);
      } finally {
        pidfd.close(fd);
      }
    }
  }

  @Test
  void syscallFailuresCarryTheirErrno() {
    // No system call has this number on any architecture (below x32's bit 30): the kernel answers
    // ENOSYS, and syscall(2)'s -1 must come back with that errno, not a stale or zero one.
    PidfdCalls none = NativePidfdCalls.load(new PidfdSyscalls("none", 99_999, 99_998));

    assertThat(none.open(Math.toIntExact(ProcessHandle.current().pid()))).isEqualTo(-ENOSYS);
    assertThat(none.sendSignal(0, 0)).isEqualTo(-ENOSYS);
  }

  @Test
  void usesThisArchitecturesNumbers() {
    assertThat(((NativePidfdCalls) pidfd).numbers()).isEqualTo(SpawnedProcess.thisArch());
    assertThat(SpawnedProcess.thisArch().pidfdOpen()).isEqualTo(434);
    assertThat(SpawnedProcess.thisArch().pidfdSendSignal()).isEqualTo(424);
  }
}
