package org.orphanreaper.nativestub;

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

/**
 * The stub is extracted once, by jffi, into the directory named, and a JVM pointed at it loads
 * it from there, extracting nothing. Each side runs in a JVM of its own: jffi reads its
 * properties once per JVM.
 */
class StubInstallerTest {

  @TempDir Path tmp;

  private record Run(int exit, String out, String err) {}

  private static Run java(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of(args).subList(0, args.length - 2));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(args).subList(args.length - 2, args.length));
    Process p = new ProcessBuilder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  private static Run install(Path dir) throws IOException, InterruptedException {
    return java(StubInstaller.class.getName(), dir.toString());
  }

  @Test
  void extractsTheStubOnceAndRunsLoadItFromThereExtractingNothing() throws Exception {
    Path dir = tmp.resolve("usr/lib/orphan-reaper/native");
    Run first = install(dir);
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out() + first.err()).isEmpty();
    Path stub = dir.resolve(NativeStub.FILE_NAME);
    try (var files = Files.list(dir)) {
      assertThat(files).as("the stub alone, no staging left").containsExactly(stub);
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stub)))
        .isEqualTo("rw-r--r--");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwxr-xr-x");
    Object inode = Files.getAttribute(stub, "unix:ino");

    // A reinstall (an upgrade) renames a new file over the old one.
    Run again = install(dir);
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(Files.getAttribute(stub, "unix:ino")).isNotEqualTo(inode);

    // Neither jffi's extraction directory nor the temp directory can take a file.
    Path empty = Files.createDirectory(tmp.resolve("jtmp"));
    Run probe = java("-D" + NativeStub.BOOT_PATH + "=" + dir,
        "-Djffi.extract.dir=" + tmp.resolve("nonexistent"), "-Djava.io.tmpdir=" + empty,
        NativeProbe.class.getName(), "");
    assertThat(probe.exit()).as(probe.err()).isZero();
    assertThat(probe.out()).startsWith("loaded\nsignaller ");
    try (var files = Files.list(empty)) {
      assertThat(files).as("nothing extracted at run time").isEmpty();
    }
  }

  @Test
  void aMissingStubIsSaidAndNotExtractedElsewhere() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("jtmp"));
    Run probe = java("-D" + NativeStub.BOOT_PATH + "=" + tmp.resolve("native"),
        "-Djava.io.tmpdir=" + empty, NativeProbe.class.getName(), "");
    assertThat(probe.out()).startsWith("the native stub " + tmp.resolve("native")
        .resolve(NativeStub.FILE_NAME) + " is missing\n");
    assertThat(probe.exit()).isNotZero();
    assertThat(probe.err()).contains("SignallingUnavailable");
    try (var files = Files.list(empty)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aDirectoryThatCannotBeMadeFailsTheInstallWithTheReason() throws Exception {
    Path file = Files.writeString(tmp.resolve("a-file"), "");
    Run r = install(file.resolve("native"));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("orphan-reaper: cannot extract the native stub into "
        + file.resolve("native") + ": ").hasLineCount(1);
  }
}
