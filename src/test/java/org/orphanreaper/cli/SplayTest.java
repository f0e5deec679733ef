package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.evidence.FakeRunner;
import org.orphanreaper.proc.Accounts;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.proc.ProcFs;

/** --splay: a fixed delay per node, spread over the window across nodes. */
class SplayTest {

  @TempDir Path dir;

  /** A run waits this node's delay before it scans (a lower bound: no timing target here). */
  @Test
  void aRunWaitsItsDelayBeforeTheScan() throws Exception {
    Path proc = dir.resolve("proc");
    FakeProc fp = new FakeProc(proc);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    Duration expected = Splay.delay(Splay.nodeKey(new ProcFs(proc).hostname()),
        Duration.ofSeconds(2));
    Reaper reaper = new Reaper(new Reaper.Environment(s -> null, p -> null,
        new Accounts(dir.resolve("none"), dir.resolve("none"), dir.resolve("none"), false),
        dir.resolve("none.yaml"), new FakeRunner()));
    StringWriter err = new StringWriter();
    long t0 = System.nanoTime();
    int code = reaper.run(CommandLine.parse("--debug", "--splay", "2s", "--proc",
        proc.toString()), new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(code).as(err.toString()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(expected);
  }

  @Test
  void theSameNodeAlwaysWaitsTheSameWithinTheWindow() {
    Duration max = Duration.ofMinutes(10);
    Duration a = Splay.delay("4f1c0e8d1b2a4c3e9f7d6b5a4c3e2f10", max);
    assertThat(Splay.delay("4f1c0e8d1b2a4c3e9f7d6b5a4c3e2f10", max)).isEqualTo(a);
    assertThat(a).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(max);
    assertThat(Splay.delay("node0001", Duration.ZERO)).isZero();
  }

  @Test
  void nodesAreSpreadEvenlyOverTheWindow() {
    Duration max = Duration.ofMinutes(10);
    int[] tenths = new int[10];
    for (int i = 0; i < 2000; i++) {
      Duration d = Splay.delay(String.format("node%04d", i), max);
      assertThat(d).isGreaterThanOrEqualTo(Duration.ZERO).isLessThan(max);
      tenths[(int) (d.toMillis() * 10 / max.toMillis())]++;
    }
    // 200 expected in each tenth; a hash that bunched nodes would leave some far off
    for (int n : tenths) {
      assertThat(n).isBetween(140, 260);
    }
  }

  @Test
  void theOptionTakesADurationOfAtMostADay() throws Exception {
    assertThat(CommandLine.parse().splay()).isZero();
    assertThat(CommandLine.parse("--splay", "10m").splay()).isEqualTo(Duration.ofMinutes(10));
    assertThatThrownBy(() -> CommandLine.parse("--splay", "2d"))
        .isInstanceOf(UsageException.class).hasMessage("--splay: 2d is more than 1d");
    assertThatThrownBy(() -> CommandLine.parse("--splay", "soon"))
        .isInstanceOf(UsageException.class).hasMessageStartingWith("--splay: invalid duration");
  }

  @Test
  void aNodeWithoutMachineIdUsesItsHostName() {
    // the test machine may or may not have /etc/machine-id; either way the key is stable
    assertThat(Splay.nodeKey("node7")).isEqualTo(Splay.nodeKey("node7")).isNotEmpty();
  }
}
