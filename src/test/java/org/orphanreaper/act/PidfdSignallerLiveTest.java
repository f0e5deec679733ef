package org.orphanreaper.act;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.orphanreaper.act.Signaller.Outcome;
import org.orphanreaper.base.ProcId;
import org.orphanreaper.base.Signal;
import org.orphanreaper.proc.ProcStatStartTicks;

class PidfdSignallerLiveTest extends LiveSignallingContract {

  @Override
  Signaller create() {
    // By number through syscall(2), as on a glibc older than 2.36 (RHEL 9, Ubuntu 22.04).
    return new PidfdSignaller(NativePidfdCalls.load(SpawnedProcess.thisArch()),
        new ProcStatStartTicks(SpawnedProcess.PROC));
  }

  @Test
  void isNamedPidfd() {
    assertThat(signaller().mechanism()).isEqualTo("pidfd");
  }

  @Test
  void targetReapedAfterTheCheckIsNotHit() throws Exception {
    // The start time still matches when read, then the target dies and is reaped before the
    // signal: the pidfd still refers to the dead process, so the kernel answers ESRCH instead of
    // signalling whatever gets the pid next. This is the race kill(2) cannot close.
    try (SpawnedProcess sleep = SpawnedProcess.sleeper()) {
      ProcId id = sleep.id();
      AtomicBoolean checked = new AtomicBoolean();
      Signaller racing =
          new PidfdSignaller(
              NativePidfdCalls.load(SpawnedProcess.thisArch()),
              pid -> {
                checked.set(true);
                try {
                  sleep.killAndReap();
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
                return OptionalLong.of(id.startTicks());
              });

      assertThat(racing.send(id, Signal.CONT)).isEqualTo(Outcome.GONE);
      assertThat(checked).isTrue();
    }
  }
}
