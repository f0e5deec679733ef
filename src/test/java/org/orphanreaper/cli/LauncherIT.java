package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.PidNamespace;
import org.orphanreaper.proc.FakeProc;

/** The packaged jar and the bin/ launcher, as an admin runs them. */
class LauncherIT {

  @TempDir Path tmp;

  private record Run(int exit, String out, String err) {}

  private static Run run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(
        new java.io.File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  @Test
  void launcherRunsTheJarOnAFixtureTree() throws Exception {
    FakeProc fp = new FakeProc(tmp);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(600).sid(600).cmdline("boinc --daemon").write();
    Run version = run(List.of("bin/orphan-reaper", "--version"));
    assertThat(version.exit()).as(version.err()).isZero();
    assertThat(version.out())
        .matches("orphan-reaper \\d+\\.\\d+\\.\\d+\nsignalling: (pidfd|kill\\(2\\)) \\(.*\\)\\s*");
    Run debug = run(List.of("bin/orphan-reaper", "--debug", "--proc", tmp.toString()));
    assertThat(debug.exit()).as(debug.err()).isZero();
    assertThat(debug.out()).contains("boinc --daemon").contains("would-report");
  }

  @Test
  void killModeWithoutRootExits3AndDebugWorks() throws Exception {
    PidNamespace.assumeAvailable();
    // A copy of the jar an unprivileged uid can read, run inside a PID namespace of its own.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar = tmp.resolve("orphan-reaper.jar");
    Files.copy(Path.of("target/orphan-reaper.jar"), jar);
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> base = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc",
        "--kill-child", "setpriv", "--reuid", "5001", "--regid", "5001", "--clear-groups",
        java, "-Djffi.extract.dir=" + tmp, "-jar", jar.toString(), "--lock",
        tmp.resolve("lock").toString()));
    Run kill = run(base);
    assertThat(kill.exit()).isEqualTo(ExitCode.NEEDS_ROOT);
    assertThat(kill.err()).isEqualTo(
        "orphan-reaper: kill mode needs root; use --debug to see what would be killed\n");
    base.add("--debug");
    Run debug = run(base);
    assertThat(debug.exit()).as(debug.err()).isZero();
    assertThat(debug.out()).contains("debug: scanned");
  }
}
