package org.orphanreaper.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every job cgroup layout of Slurm 22.05 to 26.05, as labelled in the fixture. */
class SlurmCgroupTest {

  @Test
  void everyLayoutNamesItsJobAndNothingElseNamesOne() throws Exception {
    List<String> lines = Files.readAllLines(
        Path.of("src/test/resources/evidence/slurm-cgroup-layouts.txt"));
    int cases = 0;
    for (String line : lines) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", 2);
      Optional<String> expected = f[0].equals("-") ? Optional.empty() : Optional.of(f[0]);
      assertThat(SlurmCgroup.job(org.orphanreaper.proc.FakeProc.cgroupPaths(f[1]))).as(f[1]).isEqualTo(expected);
      cases++;
    }
    assertThat(cases).isGreaterThanOrEqualTo(20);
  }

  @Test
  void theFirstSlurmLineOfAFileDecides() throws Exception {
    // a whole /proc/PID/cgroup as captured (cgroup v1, proctrack/cgroup)
    String file = Files.readString(
        Path.of("src/test/resources/evidence/slurm-cgroup-proc-cgroup.txt"));
    String escapee = file.substring(0, file.indexOf("# /proc/<job script>"));
    assertThat(SlurmCgroup.job(org.orphanreaper.proc.FakeProc.cgroupPaths(escapee.replaceAll("(?m)^#.*\n", ""))))
        .contains("1");
    assertThat(SlurmCgroup.sluid("sEKNKTV3WPV500")).isTrue();
    assertThat(SlurmCgroup.sluid("123")).isFalse();
  }
}
