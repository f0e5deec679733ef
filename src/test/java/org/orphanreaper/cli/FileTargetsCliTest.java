package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.orphanreaper.SpecialFiles;
import org.orphanreaper.proc.FakeProc;

/**
 * A preview (--dry-run) given a --state or --metrics that is not a regular file refuses it before
 * it scans: the state is read (a FIFO hung the run) and the metrics replaced (--metrics /dev/null
 * replaced the node's /dev/null). Kill mode's own files: {@link FileTargetsInNamespaceTest}.
 */
class FileTargetsCliTest {

  @TempDir Path dir;
  @RegisterExtension final SpecialFiles special = new SpecialFiles();
  Path proc;
  Path rules;
  Path target;

  /** A node with one stray, and rules that give it a grace: the state is read. */
  @BeforeEach
  void fixture() throws Exception {
    rules = Files.writeString(dir.resolve("rules.yaml"),
        "defaults: { grace: 1h }\nrules:\n  - name: all\n    action: kill\n");
    target = dir.resolve("target");
    proc = dir.resolve("proc");
    new FakeProc(proc).proc(1).ppid(0).uid(0).comm("init").write();
    new FakeProc(proc).proc(500).comm("sleep").cmdline("sleep 500").ageSeconds(7200).write();
  }

  static Stream<Arguments> optionsAndKinds() {
    return Stream.of("--state", "--metrics").flatMap(option ->
        Arrays.stream(SpecialFiles.Kind.values()).map(kind -> Arguments.of(option, kind)));
  }

  @ParameterizedTest
  @MethodSource("optionsAndKinds")
  @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFileThatIsNotARegularFileIsRefusedBeforeTheScan(String option, SpecialFiles.Kind kind)
      throws Exception {
    special.make(kind, target);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), "--dry-run", "--proc",
        proc.toString(), "--rules", rules.toString(), option, target.toString());
    assertThat(code).as(err.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(err.toString()).isEqualTo("orphan-reaper: refusing " + option + " " + target
        + ": it is " + kind.description() + ", not a regular file; nothing was scanned or"
        + " killed\n");
    assertThat(out.toString()).isEmpty();
    assertThat(kind.isStill(target)).isTrue();
  }
}
