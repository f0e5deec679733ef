package org.orphanreaper.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Slurm 22.05, 24.11 and 26.05 really printed (src/test/testbeds/capture-slurm, one job
 * sequence on each), read the way a run reads it: every variant of scontrol listpids and of a
 * single-job squeue.
 */
class SlurmVersionsTest {

  private static final Pattern EXIT = Pattern.compile("\\| exit=(\\d+) \\|");

  /** A captured command: the exit code from line 1, then the "# stdout:" and "# stderr:" parts. */
  static CommandRunner.Result captured(String version, String name) throws Exception {
    String text = Files.readString(
        Path.of("src/test/resources/evidence/slurm-" + version + "-" + name + ".txt"),
        StandardCharsets.UTF_8);
    Matcher m = EXIT.matcher(text.substring(0, text.indexOf('\n')));
    assertThat(m.find()).as(name).isTrue();
    int out = text.indexOf("# stdout:\n") + "# stdout:\n".length();
    int err = text.indexOf("# stderr:\n");
    return new CommandRunner.Result(Integer.parseInt(m.group(1)), text.substring(out, err),
        text.substring(err + "# stderr:\n".length()));
  }

  @ParameterizedTest(name = "Slurm {0}")
  @ValueSource(strings = {"22.05", "24.11", "26.05"})
  void listpidsEveryVersion(String v) throws Exception {
    // idle, and idle while another job of the cluster is pending: nothing runs here
    assertThat(SlurmListing.of(captured(v, "scontrol-listpids-idle")))
        .isInstanceOf(SlurmListing.Idle.class);
    assertThat(SlurmListing.of(captured(v, "scontrol-listpids-idle-pending")))
        .isInstanceOf(SlurmListing.Idle.class);
    // one job: the script and its sleep, job 3
    SlurmListing busy = SlurmListing.of(captured(v, "scontrol-listpids-busy"));
    assertThat(busy).isInstanceOf(SlurmListing.Listed.class);
    assertThat(busy.pids()).hasSize(2).containsValues("3");
    assertThat(SlurmListing.of(captured(v, "scontrol-listpids-ctld-down")).pids())
        .isEqualTo(busy.pids());
    // arrays: raw job ids
    SlurmListing array = SlurmListing.of(captured(v, "scontrol-listpids-array"));
    assertThat(array.runs("4")).isTrue();
    assertThat(array.runs("5")).isTrue();
    // a dead step socket: never taken for complete; what rows there are still protect
    SlurmListing broken = SlurmListing.of(captured(v, "scontrol-listpids-broken-step"));
    assertThat(broken).isInstanceOf(SlurmListing.Unknown.class);
    assertThat(((SlurmListing.Unknown) broken).why()).isEqualTo(
        "scontrol listpids failed (exit 1): Unable to connect to slurmstepd: Connection refused");
    if (v.equals("24.11")) {
      assertThat(broken.pids()).as("24.11 prints nothing when one step fails").isEmpty();
    } else {
      assertThat(broken.pids()).isEqualTo(busy.pids());
    }
  }

  @ParameterizedTest(name = "Slurm {0}")
  @ValueSource(strings = {"22.05", "24.11", "26.05"})
  void singleJobSqueueEveryVersion(String v) throws Exception {
    Map<String, JobState> expected = Map.of(
        "squeue-running", JobState.RUNNING,
        "squeue-pending", JobState.RUNNING,
        "squeue-completed", JobState.ENDED,
        "squeue-unknown", JobState.ENDED,
        "squeue-ctld-down", JobState.UNKNOWN);
    Map<String, String> job = Map.of("squeue-running", "3", "squeue-pending", "1",
        "squeue-completed", "2", "squeue-unknown", "999999", "squeue-ctld-down", "3");
    for (Map.Entry<String, JobState> e : expected.entrySet()) {
      CommandRunner.Result r = captured(v, e.getKey());
      SlurmController c = new SlurmController((argv, timeout) -> r,
          SlurmCommands.Command.at("/usr/bin/squeue"), BatchSystems.TIMEOUT);
      String j = job.get(e.getKey());
      assertThat(c.states(java.util.Set.of(j)).get(j).state()).as(v + " " + e.getKey())
          .isEqualTo(e.getValue());
      assertThat(c.calls()).isEqualTo(1);
    }
  }
}
