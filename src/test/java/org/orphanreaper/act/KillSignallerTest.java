package org.orphanreaper.act;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.orphanreaper.act.Signaller.Outcome;
import org.orphanreaper.base.ProcId;
import org.orphanreaper.base.Signal;

class KillSignallerTest {

  private static final int EINVAL = 22;
  private static final ProcId TARGET = new ProcId(4242, 1000L);

  private final List<String> log = new ArrayList<>();
  private int killResult = 0;

  private final KillCall kill =
      (pid, signal) -> {
        log.add("kill " + pid + " " + signal);
        return killResult;
      };

  private IntFunction<OptionalLong> startTicks(OptionalLong answer) {
    return pid -> {
      log.add("startTicks " + pid);
      return answer;
    };
  }

  @Test
  void checksThenKills() {
    KillSignaller signaller = new KillSignaller(kill, startTicks(OptionalLong.of(1000L)));

    assertThat(signaller.send(TARGET, Signal.TERM)).isEqualTo(Outcome.SENT);
    assertThat(signaller.send(TARGET, Signal.CONT)).isEqualTo(Outcome.SENT);
    assertThat(log)
        .containsExactly("startTicks 4242", "kill 4242 15", "startTicks 4242", "kill 4242 18");
  }

  @Test
  void anotherOrNoStartTimeIsGoneAndNothingIsSent() {
    assertThat(new KillSignaller(kill, startTicks(OptionalLong.of(999L))).send(TARGET, Signal.KILL))
        .isEqualTo(Outcome.GONE);
    assertThat(new KillSignaller(kill, startTicks(OptionalLong.empty())).send(TARGET, Signal.KILL))
        .isEqualTo(Outcome.GONE);
    assertThat(log).containsExactly("startTicks 4242", "startTicks 4242");
  }

  @Test
  void anUnreadableStartTimeFailsAndNothingIsSent() {
    KillSignaller signaller =
        new KillSignaller(
            kill,
            pid -> {
              throw new IllegalStateException("cannot tell");
            });

    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.FAILED);
    assertThat(log).isEmpty();
  }

  @Test
  void killErrorsSayWhatHappened() {
    KillSignaller signaller = new KillSignaller(kill, startTicks(OptionalLong.of(1000L)));

    killResult = -ErrnoOutcome.ESRCH;
    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.GONE);
    killResult = -ErrnoOutcome.EPERM;
    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.DENIED);
    killResult = -EINVAL;
    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.FAILED);
    killResult = Integer.MIN_VALUE;
    assertThat(signaller.send(TARGET, Signal.KILL)).isEqualTo(Outcome.FAILED);
  }

  @Test
  void pidZeroAndMinusOneNeverReachKill() {
    // kill(0) would hit our own process group, kill(-1) every process root may signal.
    KillSignaller signaller = new KillSignaller(kill, pid -> OptionalLong.of(1000L));

    assertThat(signaller.send(new ProcId(0, 1000L), Signal.KILL)).isEqualTo(Outcome.FAILED);
    assertThat(signaller.send(new ProcId(-1, 1000L), Signal.KILL)).isEqualTo(Outcome.FAILED);
    assertThat(signaller.send(new ProcId(-4242, 1000L), Signal.KILL)).isEqualTo(Outcome.FAILED);
    assertThat(log).isEmpty();
  }

  @Test
  void isNamedKill() {
    assertThat(new KillSignaller(kill, startTicks(OptionalLong.empty())).mechanism())
        .isEqualTo("kill");
  }
}
