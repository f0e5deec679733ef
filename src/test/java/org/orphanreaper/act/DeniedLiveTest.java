package org.orphanreaper.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.base.ProcId;

/**
 * Root may signal anything, so EPERM needs both sides unprivileged: the test (root) starts a target
 * as uid 5999 and a child JVM as uid 5998 that tries to signal it.
 */
@Timeout(120)
class DeniedLiveTest {

  private static final String TARGET_UID = "5999";
  private static final String SIGNALLER_UID = "5998";

  @Test
  void anotherUsersProcessIsDeniedAndSurvives(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
    assumeTrue(
        Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0), "needs root to setuid");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
    String classpath = worldReadableCopyOfClasspath(dir);

    try (SpawnedProcess target =
        SpawnedProcess.start(asUser(TARGET_UID, "sleep", "600").toArray(String[]::new))) {
      awaitRealUid(target.pid(), TARGET_UID);
      ProcId id = target.id();

      for (String mechanism : List.of("pidfd", "kill")) {
        assertThat(signalAsAnotherUser(dir, classpath, mechanism, id))
            .as(mechanism)
            .isEqualTo("DENIED");
      }
      assertThat(target.process().waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
    }
  }

  private static String signalAsAnotherUser(Path dir, String classpath, String mechanism, ProcId id)
      throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
            asUser(
                SIGNALLER_UID,
                java.toString(),
                "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + dir.resolve("scratch"),
                "-Djffi.extract.dir=" + dir.resolve("scratch"),
                "-cp",
                classpath,
                SignalAsAnotherUser.class.getName(),
                mechanism,
                Integer.toString(id.pid()),
                Long.toString(id.startTicks()),
                "KILL"));
    builder.directory(dir.resolve("scratch").toFile());
    builder.redirectErrorStream(true);
    Process child = builder.start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    return output.trim();
  }

  /** {@code command} run with real and effective uid and gid {@code uid}, and no groups. */
  private static List<String> asUser(String uid, String... command) {
    List<String> line =
        new ArrayList<>(List.of("setpriv", "--reuid", uid, "--regid", uid, "--clear-groups"));
    line.addAll(List.of(command));
    return line;
  }

  /** The test classpath lives under root's home; copy it where uid 5998 can read it. */
  private static String worldReadableCopyOfClasspath(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path scratch = Files.createDirectory(dir.resolve("scratch"));
    Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxrwxrwx"));
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path source = Path.of(entry);
      if (!Files.exists(source)) {
        continue;
      }
      Path copy = dir.resolve((n++) + "-" + source.getFileName());
      try (Stream<Path> tree = Files.walk(source)) {
        for (Path from : (Iterable<Path>) tree::iterator) {
          Path to = copy.resolve(source.relativize(from).toString());
          if (from.equals(source)) {
            to = copy;
          }
          Files.copy(from, to);
          Files.setPosixFilePermissions(
              to,
              PosixFilePermissions.fromString(Files.isDirectory(from) ? "rwxr-xr-x" : "rw-r--r--"));
        }
      }
      entries.add(copy.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void awaitRealUid(int pid, String uid) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("Uid:") && line.split("\\s+")[1].equals(uid)) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("process " + pid + " never ran as uid " + uid);
  }
}
