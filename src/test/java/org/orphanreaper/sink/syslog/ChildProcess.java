package org.orphanreaper.sink.syslog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command to completion with its output in files, killing only that child on timeout.
 *
 * @param exitCode the child's exit status
 * @param stdout everything it printed on stdout
 * @param stderr everything it printed on stderr
 */
record ChildProcess(int exitCode, String stdout, String stderr) {

  static ChildProcess run(List<String> command, Path dir, Duration timeout)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "child", ".out");
    Path err = Files.createTempFile(dir, "child", ".err");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(
          "timed out after " + timeout + ": " + command + "\nstderr: " + read(err));
    }
    return new ChildProcess(process.exitValue(), read(out), read(err));
  }

  /** A fresh JVM running {@link SyslogProbe} on this test's class path. */
  static List<String> probeCommand(String... probeArgs) {
    return probeCommand(List.of(), probeArgs);
  }

  /** The same, with options for the JVM. */
  static List<String> probeCommand(List<String> jvmOptions, String... probeArgs) {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        SyslogProbe.class.getName()));
    command.addAll(List.of(probeArgs));
    return command;
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }
}
