package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.orphanreaper.PidNamespace;

/**
 * Kill mode, as root, given a lock, state, accounting or metrics file that is a FIFO or a symbolic
 * link: it kills nothing and exits 2 at once, and leaves the FIFO, the link and the file the link
 * names as they were. A FIFO hung the run; a link was followed (the lock truncated what it named,
 * records were appended to it) or replaced by a regular file.
 */
class FileTargetsInNamespaceTest {

  @TempDir Path tmp;

  @BeforeEach
  void root() {
    PidNamespace.assumeAvailable();
  }

  /** @param path where the scenario's reap() puts that file (the lock: PidNamespace's) */
  @ParameterizedTest
  @CsvSource({"--lock, lock", "--state, grace.state", "--accounting, accounting.jsonl",
      "--metrics, metrics.prom"})
  void refusesAFifoAndALinkAndKillsNothing(String option, String path) throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "printf '%s\\n' 'defaults: { grace: 1h }' 'rules:' '  - name: all' '    action: kill'"
            + " '    immediate: true' > $T/rules.yaml",
        "t=$T/" + path,
        "orphan orphan-stray $ORTEST1_UID sleep 1000",
        "wait_for orphan-stray",
        "mkfifo $t",
        "RULES=$T/rules.yaml reap --kill-after 1s --metrics $T/metrics.prom > $T/fifo.out"
            + " 2> $T/fifo.err",
        "[ -p $t ] && echo fifo=kept; rm -f $t",
        "echo 'precious' > $T/precious; ln -s $T/precious $t",
        "RULES=$T/rules.yaml reap --kill-after 1s --metrics $T/metrics.prom > $T/link.out"
            + " 2> $T/link.err",
        "[ -L $t ] && echo link=kept; echo precious=$(cat $T/precious)",
        "echo stray=$(count orphan-stray)"), 60);
    assertThat(r.reaperExits()).as(r.err()).containsExactly(2, 2);
    assertThat(r.out()).contains("fifo=kept", "link=kept", "precious=precious", "stray=1");
    Path t = tmp.resolve(path);
    assertThat(Files.readString(tmp.resolve("fifo.err"))).startsWith("orphan-reaper: refusing "
        + option + " " + t + ": it is a FIFO, not a regular file; nothing was scanned or"
        + " killed\n");
    assertThat(Files.readString(tmp.resolve("link.err"))).startsWith("orphan-reaper: refusing "
        + option + " " + t + ": it is a symbolic link, not a regular file; nothing was scanned"
        + " or killed\n");
  }
}
