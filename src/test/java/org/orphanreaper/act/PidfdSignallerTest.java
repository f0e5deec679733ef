package org.orphanreaper.act;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.orphanreaper.act.Signaller.Outcome;
import org.orphanreaper.base.ProcId;
import org.orphanreaper.base.Signal;

class PidfdSignallerTest {

  private static final int EINVAL = 22;
  private static final int EMFILE = 24;
  private static final ProcId TARGET = new ProcId(4242, 1000L);

  private final FakePidfdCalls calls = new FakePidfdCalls();

  /** Start times as /proc would give them, logged into the same sequence as the calls. */
  private IntFunction<OptionalLong> startTicks(OptionalLong answer) {
    return pid -> {
      calls.log.add("startTicks " + pid);
      return answer;
    };
  }

  @Test
  void opensThenChecksThenSignalsThenCloses() {
    PidfdSignaller signaller = new PidfdSignaller(calls, startTicks(OptionalLong.of(1000L)));

    assertThat(signaller.send(TARGET, Signal.TERM)).isEqualTo(Outcome.SENT);
    assertThat(calls.log).containsExactly("open 4242", "startTicks 4242", "send 7 15", "close 7");
  }

  @Test
  void passesTheSignalNumber() {
    PidfdSignaller signaller = new PidfdSignaller(calls, startTicks(OptionalLong.of(1000L)));

    signaller.send(TARGET, Signal.KILL);
    signaller.send(TARGET, Signal.STOP);

    assertThat(calls.log).contains("send 7 9", "send 7 19");
  }

  @Test
  void anotherStartTimeIsGoneAndNothingIsSent() {
    PidfdSignaller signaller = new PidfdSignaller(calls, startTicks(OptionalLong.of(1001L)));

    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.GONE);
    assertThat(calls.log).containsExactly("open 4242", "startTicks 4242", "close 7");
  }

  @Test
  void noStartTimeIsGoneAndNothingIsSent() {
    PidfdSignaller signaller = new PidfdSignaller(calls, startTicks(OptionalLong.empty()));

    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.GONE);
    assertThat(calls.log).containsExactly("open 4242", "startTicks 4242", "close 7");
  }

  @Test
  void anUnreadableStartTimeFailsAndNothingIsSent() {
    PidfdSignaller signaller =
        new PidfdSignaller(
            calls,
            pid -> {
              throw new IllegalArgumentException("garbled stat");
            });

    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.FAILED);
    assertThat(calls.log).containsExactly("open 4242", "close 7");
  }

  @Test
  void openErrorsSayWhatHappenedAndNothingIsLeftOpen() {
    PidfdSignaller signaller = new PidfdSignaller(calls, startTicks(OptionalLong.of(1000L)));

    calls.openResult = -ErrnoOutcome.ESRCH;
    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.GONE);
    calls.openResult = -ErrnoOutcome.EPERM;
    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.DENIED);
    calls.openResult = -EINVAL;
    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.FAILED);
    calls.openResult = -EMFILE;
    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.FAILED);
    calls.openResult = Integer.MIN_VALUE;
    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.FAILED);

    assertThat(calls.log).containsOnly("open 4242");
  }

  @Test
  void sendErrorsSayWhatHappenedAndTheFdIsClosed() {
    PidfdSignaller signaller = new PidfdSignaller(calls, startTicks(OptionalLong.of(1000L)));

    calls.sendResult = -ErrnoOutcome.ESRCH;
    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.GONE);
    calls.sendResult = -ErrnoOutcome.EPERM;
    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.DENIED);
    calls.sendResult = -EINVAL;
    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.FAILED);

    assertThat(calls.log.stream().filter(c -> c.startsWith("open"))).hasSize(3);
    assertThat(calls.log.stream().filter(c -> c.startsWith("close"))).hasSize(3);
  }

  @Test
  void nonPositivePidsNeverReachTheKernel() {
    PidfdSignaller signaller = new PidfdSignaller(calls, startTicks(OptionalLong.of(1000L)));

    assertThat(signaller.send(new ProcId(0, 1000L), Signal.KILL)).isEqualTo(Outcome.FAILED);
    assertThat(signaller.send(new ProcId(-1, 1000L), Signal.KILL)).isEqualTo(Outcome.FAILED);
    assertThat(calls.log).isEmpty();
  }

  @Test
  void isNamedPidfd() {
    assertThat(new PidfdSignaller(calls, startTicks(OptionalLong.empty())).mechanism())
        .isEqualTo("pidfd");
  }
}
