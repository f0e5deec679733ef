package org.orphanreaper.packaging;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One finished command of a packaging test: what it printed and how it ended. Output goes to files,
 * so a chatty command (dpkg, rpmbuild) can never block on a full pipe.
 */
record Cmd(List<String> command, int exit, String out, String err) {

  /** Runs {@code command} with stdin from /dev/null; fails the test after 5 minutes. */
  static Cmd run(List<String> command) throws IOException, InterruptedException {
    return run(command, Map.of());
  }

  static Cmd run(String... command) throws IOException, InterruptedException {
    return run(List.of(command), Map.of());
  }

  /** As {@link #run(List)}, with {@code env} added to this JVM's environment. */
  static Cmd run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    return run(command, env, Duration.ofMinutes(5));
  }

  /** As {@link #run(List, Map)}; the child is killed and the test fails after {@code limit}. */
  static Cmd run(List<String> command, Map<String, String> env, Duration limit)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("packaging-cmd", ".out");
    Path err = Files.createTempFile("packaging-cmd", ".err");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("timed out after " + limit + ": " + command);
      }
      return new Cmd(
          List.copyOf(command),
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** This result, after checking it exited 0 (the message shows the command and its stderr). */
  Cmd ok() {
    if (exit != 0) {
      throw new AssertionError(
          command + " exited " + exit + "\nstdout: " + out + "\nstderr: " + err);
    }
    return this;
  }

  /** For assertion messages. */
  String describe() {
    return command + " exited " + exit + "\nstdout: " + out + "\nstderr: " + err;
  }
}
