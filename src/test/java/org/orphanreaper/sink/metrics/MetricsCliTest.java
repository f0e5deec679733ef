package org.orphanreaper.sink.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.cli.Main;
import org.orphanreaper.proc.FakeProc;

/** --metrics through the whole CLI: the file parses as Prometheus text and says what ran. */
class MetricsCliTest {

  @TempDir Path dir;

  @Test
  void aDryRunWritesParsableMetrics() throws Exception {
    FakeProc fp = new FakeProc(dir.resolve("proc"));
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(100).uid(0).comm("sshd").write();
    fp.proc(500).ageSeconds(7200).write();
    fp.proc(600).ageSeconds(60).write();
    Path file = dir.resolve("orphan_reaper.prom");
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "--dry-run",
        "--proc", dir.resolve("proc").toString(), "--metrics", file.toString());
    assertThat(code).as(err.toString()).isZero();
    Map<String, PromText.Family> m = PromText.parse(Files.readString(file));
    assertThat(m.get("orphan_reaper_processes_scanned").samples().get(0).value()).isEqualTo(4);
    assertThat(m.get("orphan_reaper_families").samples())
        .anySatisfy(s -> {
          assertThat(s.labels()).containsEntry("action", "kill")
              .containsEntry("rule", "long-running-orphans");
          assertThat(s.value()).isEqualTo(1);
        })
        .anySatisfy(s -> {
          assertThat(s.labels()).containsEntry("action", "report")
              .containsEntry("rule", "young-orphans");
          assertThat(s.value()).isEqualTo(1);
        });
    assertThat(m.get("orphan_reaper_run_success").samples().get(0).value()).isEqualTo(1);
  }

  @Test
  void aRunThatFailsClosedStillWritesMetrics() throws Exception {
    Path file = dir.resolve("orphan_reaper.prom");
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
        "--debug", "--proc", dir.resolve("no-such-proc").toString(), "--metrics",
        file.toString());
    assertThat(code).isEqualTo(4);
    Map<String, PromText.Family> m = PromText.parse(Files.readString(file));
    assertThat(m.get("orphan_reaper_run_success").samples().get(0).value()).isZero();
    assertThat(m.get("orphan_reaper_errors").samples()).singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("kind", "unsafe"));
  }
}
