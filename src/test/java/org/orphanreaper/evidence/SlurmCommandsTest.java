package org.orphanreaper.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where scontrol and squeue are taken from, on the layouts sites install Slurm in. */
class SlurmCommandsTest {

  @TempDir Path tmp;

  /** A machine whose only files are {@code present}, each fine to run unless it maps a reason. */
  private static SlurmCommands find(Optional<String> configured, String slurmd, String path,
      Map<String, String> present) {
    return SlurmCommands.find(configured, Optional.ofNullable(slurmd), path,
        p -> present.containsKey(p.toString())
            ? Optional.of(present.get(p.toString())).filter(r -> !r.isEmpty())
            : Optional.of(""));
  }

  private static Map<String, String> files(String... paths) {
    Map<String, String> m = new java.util.HashMap<>();
    for (String p : paths) {
      m.put(p, "");
    }
    return m;
  }

  private static String path(SlurmCommands.Command c) throws EvidenceUnavailable {
    return c.argv().get(0);
  }

  @Test
  void besideTheRunningSlurmdWhateverPathCronGives() throws Exception {
    // a site build under /opt/slurm, cron's PATH
    SlurmCommands opt = find(Optional.empty(), "/opt/slurm/sbin/slurmd", "/usr/bin:/bin",
        files("/opt/slurm/bin/scontrol", "/opt/slurm/bin/squeue"));
    assertThat(path(opt.scontrol())).isEqualTo("/opt/slurm/bin/scontrol");
    assertThat(opt.squeue().argv("--jobs=7"))
        .containsExactly("/opt/slurm/bin/squeue", "--jobs=7");
    // Debian: /usr/sbin/slurmd is a link to slurmd-wlm, which the exe link names
    assertThat(path(find(Optional.empty(), "/usr/sbin/slurmd-wlm", "",
        files("/usr/bin/scontrol", "/usr/bin/squeue")).scontrol())).isEqualTo("/usr/bin/scontrol");
    // everything in one directory; a binary an upgrade replaced still leads there
    assertThat(path(find(Optional.empty(), "/usr/local/slurm/slurmd (deleted)", "",
        files("/usr/local/slurm/scontrol")).scontrol())).isEqualTo("/usr/local/slurm/scontrol");
  }

  @Test
  void thenAlongPathElseItSaysWhereItLooked() throws Exception {
    SlurmCommands c = find(Optional.empty(), "/opt/slurm/sbin/slurmd",
        "relative:/usr/local/bin:/usr/bin",
        files("/usr/bin/scontrol", "/usr/local/bin/squeue", "/usr/bin/squeue"));
    assertThat(path(c.scontrol())).isEqualTo("/usr/bin/scontrol");
    assertThat(path(c.squeue())).isEqualTo("/usr/local/bin/squeue");
    assertThatThrownBy(() -> find(Optional.empty(), null, "/usr/bin", files()).scontrol().argv())
        .isInstanceOf(EvidenceUnavailable.class)
        .hasMessage("cannot run scontrol: not found in /usr/bin");
  }

  @Test
  void aConfiguredDirectoryIsTheOnlyPlace() throws Exception {
    Map<String, String> debian = files("/usr/bin/scontrol", "/usr/bin/squeue");
    assertThatThrownBy(() -> find(Optional.of("/site/slurm/bin"), "/usr/sbin/slurmd", "/usr/bin",
        debian).squeue().argv())
        .hasMessage("cannot run squeue: not found in /site/slurm/bin");
    assertThat(path(find(Optional.of("/site/slurm/bin"), "/usr/sbin/slurmd", "/usr/bin",
        files("/site/slurm/bin/scontrol")).scontrol())).isEqualTo("/site/slurm/bin/scontrol");
  }

  @Test
  void aFileSomeoneElseCouldChangeIsNotRunAsRoot() throws Exception {
    Map<String, String> m = files("/usr/bin/squeue");
    m.put("/home/u/bin/squeue", "(/home/u/bin/squeue is not root's alone: uid 1000, mode 755)");
    assertThat(path(find(Optional.empty(), null, "/home/u/bin:/usr/bin", m).squeue()))
        .isEqualTo("/usr/bin/squeue");
    assertThatThrownBy(() -> find(Optional.of("/home/u/bin"), null, "", m).squeue().argv())
        .hasMessage("cannot run squeue: refused /home/u/bin/squeue (/home/u/bin/squeue is not"
            + " root's alone: uid 1000, mode 755)");
  }

  /** The live check, on files of this machine and of the test's own. */
  @Test
  void theLiveCheckAsksRootsFilesInRootsDirectories() throws Exception {
    assertThat(SlurmCommands.refusal(Path.of("/nonexistent/squeue"))).contains("");
    assertThat(SlurmCommands.refusal(Path.of("/bin/sh"))).isEmpty();
    Path dir = Files.createDirectory(tmp.resolve("bin"));
    Path f = Files.writeString(dir.resolve("squeue"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(SlurmCommands.refusal(f)).contains("(not an executable file)");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(SlurmCommands.refusal(f)).hasValueSatisfying(
        r -> assertThat(r).contains("is not root's alone").contains("mode 777"));
    if (!System.getProperty("user.name").equals("root")) {
      return; // below: root's own files, as the reaper runs
    }
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(SlurmCommands.refusal(f)).isEmpty();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    String real = dir.toRealPath().toString();
    assertThat(SlurmCommands.refusal(f)).hasValueSatisfying(
        r -> assertThat(r).contains(real + " is not root's alone"));
  }
}
