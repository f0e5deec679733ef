package org.orphanreaper.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One budget for all batch-system calls of a run, on a clock the stand-in commands move. */
class BudgetedRunnerTest {

  private final AtomicLong clock = new AtomicLong();
  private final List<Duration> given = new ArrayList<>();

  /** A command that answers after {@code takes}, or times out when it was given less. */
  private CommandRunner taking(Duration takes) {
    return (argv, timeout) -> {
      given.add(timeout);
      if (takes.compareTo(timeout) > 0) {
        clock.addAndGet(timeout.toNanos());
        throw new EvidenceUnavailable(CommandRunner.shown(argv) + " did not answer within "
            + timeout.toSeconds() + "s");
      }
      clock.addAndGet(takes.toNanos());
      return new CommandRunner.Result(0, "answer\n", "");
    };
  }

  @Test
  void eachCallHasWhatIsLeftAtMostItsOwnLimitAndAnswersCountToo() throws Exception {
    CommandRunner calls = new BudgetedRunner(taking(Duration.ofSeconds(12)),
        Duration.ofSeconds(30), clock::get);
    List<String> squeue = List.of("/usr/bin/squeue", "--jobs=13");
    assertThat(calls.run(squeue, Duration.ofSeconds(20)).stdout()).isEqualTo("answer\n");
    // 12 s spent: 18 s left, less than 20
    assertThat(calls.run(squeue, Duration.ofSeconds(20)).stdout()).isEqualTo("answer\n");
    // 24 s spent: the third call has 6 s, and 12 s are not enough
    assertThatThrownBy(() -> calls.run(squeue, Duration.ofSeconds(20)))
        .isInstanceOf(EvidenceUnavailable.class)
        .hasMessage("/usr/bin/squeue did not answer within 6s, all that was left of the 30s"
            + " this run may wait for batch-system commands");
    assertThat(given).containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(18),
        Duration.ofSeconds(6));
    assertThatThrownBy(() -> calls.run(List.of("/usr/bin/scontrol", "listpids"),
        Duration.ofSeconds(20)))
        .hasMessage("/usr/bin/scontrol listpids was not run: the 30s this run may wait for"
            + " batch-system commands are spent");
    assertThat(given).hasSize(3);
    assertThat(Duration.ofNanos(clock.get())).isEqualTo(Duration.ofSeconds(30));
  }

  /** A failure of its own within what it had is told as it was, not blamed on the budget. */
  @Test
  void aCallThatFailsWithTimeLeftIsNotBlamedOnTheBudget() {
    CommandRunner calls = new BudgetedRunner(taking(Duration.ofSeconds(25)),
        Duration.ofSeconds(30), clock::get);
    assertThatThrownBy(() -> calls.run(List.of("qconf", "-sconf"), Duration.ofSeconds(20)))
        .hasMessage("qconf -sconf did not answer within 20s");
  }

  /**
   * Grid Engine's run cannot judge anything without gid_range: a qconf that is not run fails
   * the collection whole, as a failing one does (the run kills nothing and exits 4).
   */
  @Test
  void aGridEngineCallNotMadeFailsItsWholeEvidence() {
    CommandRunner spent = new BudgetedRunner(taking(Duration.ZERO), Duration.ZERO, clock::get);
    assertThatThrownBy(() -> new GridEngineEvidence(spent, BatchSystems.TIMEOUT,
        Path.of("/nonexistent")).collect(null, List.of()))
        .isInstanceOf(EvidenceUnavailable.class)
        .hasMessage("qconf -sconf was not run: the 0s this run may wait for batch-system"
            + " commands are spent");
    assertThat(given).isEmpty();
  }
}
