package org.orphanreaper.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.orphanreaper.act.Signaller.Outcome;
import org.orphanreaper.base.ProcId;
import org.orphanreaper.base.Signal;

/**
 * What every live signaller must do to real processes; each target is a child this test started.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class LiveSignallingContract {

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private Signaller signaller;

  /** Binds the natives; called once per test class. */
  abstract Signaller create();

  Signaller signaller() {
    return signaller;
  }

  @BeforeAll
  void bindNatives() {
    assumeTrue(Files.isReadable(SpawnedProcess.PROC.resolve("self/stat")), "needs Linux /proc");
    signaller = create();
  }

  @Test
  void termKillsTheTarget() throws Exception {
    try (SpawnedProcess sleep = SpawnedProcess.sleeper()) {
      assertThat(signaller.send(sleep.id(), Signal.TERM)).isEqualTo(Outcome.SENT);

      assertThat(sleep.process().waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(sleep.process().exitValue()).as("128 + SIGTERM").isEqualTo(143);
    }
  }

  @Test
  void stopThenContIsSeenInTheProcessState() throws Exception {
    try (SpawnedProcess sleep = SpawnedProcess.sleeper()) {
      ProcId id = sleep.id();
      assertThat(SpawnedProcess.awaitState(id.pid(), 'S', PATIENCE)).isEqualTo('S');

      assertThat(signaller.send(id, Signal.STOP)).isEqualTo(Outcome.SENT);
      assertThat(SpawnedProcess.awaitState(id.pid(), 'T', PATIENCE)).isEqualTo('T');

      assertThat(signaller.send(id, Signal.CONT)).isEqualTo(Outcome.SENT);
      assertThat(SpawnedProcess.awaitState(id.pid(), 'S', PATIENCE)).isEqualTo('S');
    }
  }

  @Test
  void wrongStartTimeIsGoneAndNothingIsSent() throws Exception {
    // What a reused pid looks like: same pid, another start time.
    try (SpawnedProcess sleep = SpawnedProcess.sleeper()) {
      ProcId real = sleep.id();
      for (long ticks : new long[] {real.startTicks() + 1, real.startTicks() - 1, 0}) {
        ProcId stale = new ProcId(real.pid(), ticks);

        assertThat(signaller.send(stale, Signal.KILL))
            .as("ticks %d", ticks)
            .isEqualTo(Outcome.GONE);
      }
      assertThat(sleep.process().waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
      assertThat(SpawnedProcess.stateOf(real.pid())).isEqualTo('S');
    }
  }

  @Test
  void reapedProcessIsGone() throws Exception {
    ProcId id;
    try (SpawnedProcess sleep = SpawnedProcess.sleeper()) {
      id = sleep.id();
    }
    // The pid is free now. Were it handed to someone else's process meanwhile, that process is
    // not ours to signal even through a correct signaller: skip rather than send.
    assumeTrue(Files.notExists(SpawnedProcess.PROC.resolve(Integer.toString(id.pid()))));

    assertThat(signaller.send(id, Signal.CONT)).isEqualTo(Outcome.GONE);
  }

  @Test
  void zombieIsStillTheSameProcessAndTheKernelAcceptsTheSignal() throws Exception {
    // sh starts a child that exits at once, then becomes a sleep that never reaps it.
    try (SpawnedProcess parent =
        SpawnedProcess.start("sh", "-c", "sleep 0 & echo $!; exec sleep 600")) {
      // Read one line only: the sleep keeps stdout open.
      int zombie =
          Integer.parseInt(
              new BufferedReader(
                      new InputStreamReader(
                          parent.process().getInputStream(), StandardCharsets.US_ASCII))
                  .readLine()
                  .trim());
      assertThat(SpawnedProcess.awaitState(zombie, 'Z', PATIENCE)).isEqualTo('Z');
      ProcId id = SpawnedProcess.idOf(zombie);

      assertThat(signaller.send(id, Signal.TERM)).isEqualTo(Outcome.SENT);
      assertThat(SpawnedProcess.stateOf(zombie)).isEqualTo('Z');
    }
  }

  @Test
  void mechanismIsNamed() {
    assertThat(signaller.mechanism()).isIn("pidfd", "kill");
  }
}
