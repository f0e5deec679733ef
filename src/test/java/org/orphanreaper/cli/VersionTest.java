package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.orphanreaper.act.SignallingPath;

/** --version names the signalling path of this node, decided without binding native code. */
class VersionTest {

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void versionSaysHowThisNodeSignals() {
    String[] r = run("--version");

    assertThat(r[0]).isEqualTo("0");
    assertThat(r[2]).isEmpty();
    assertThat(r[1].lines().toList()).hasSize(2);
    assertThat(r[1].lines().toList().get(0)).startsWith("orphan-reaper ");
    assertThat(r[1].lines().toList().get(1))
        .isEqualTo("signalling: " + SignallingPath.ofThisNode())
        .matches("signalling: (pidfd \\(pidfd_open syscall \\d+, .*\\)"
            + "|kill\\(2\\) \\(no pidfd: .*\\))");
  }

  @Test
  void onThisX8664KernelItIsPidfdBySyscall434() throws IOException {
    String arch = System.getProperty("os.arch");
    assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "x86_64 only");
    String release = Files.readString(SignallingPath.OSRELEASE).trim();
    assumeTrue(!release.matches("([0-4]|5\\.[0-2])\\..*"), "kernel " + release + " before 5.3");

    assertThat(run("--version")[1]).endsWith("signalling: pidfd (pidfd_open syscall 434,"
        + " pidfd_send_signal syscall 424, x86_64; kernel " + release + " >= 5.3)\n");
  }

  @Test
  void versionBindsNoNativeCode() throws Exception {
    // A fresh JVM lists every class it loads: none of jnr-ffi's (binding costs 160-350 ms).
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(List.of(java.toString(), "-verbose:class", "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "--version"))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("org.orphanreaper.act.SignallingPath").contains("signalling: ")
        .doesNotContain(" jnr.");
  }
}
