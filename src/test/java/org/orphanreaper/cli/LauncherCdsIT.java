package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.proc.FakeProc;

/**
 * The launcher's class-data archive (target/orphan-reaper.jsa): made on first use, remade when
 * the jar changes, and never able to change or break a run. Each test runs a copy of the
 * launcher and the jar in a checkout of its own, so the real target/ is left alone.
 */
class LauncherCdsIT {

  @TempDir Path tmp;
  private Path home;
  private Path jar;
  private Path jsa;
  private Path fixture;

  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void checkout() throws IOException {
    home = tmp.resolve("checkout");
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("target"));
    Path launcher = home.resolve("bin/orphan-reaper");
    Files.copy(Path.of("bin/orphan-reaper"), launcher);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    jar = home.resolve("target/orphan-reaper.jar");
    Files.copy(Path.of("target/orphan-reaper.jar"), jar);
    jsa = home.resolve("target/orphan-reaper.jsa");
    fixture = tmp.resolve("proc");
    FakeProc fp = new FakeProc(fixture);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(600).sid(600).cmdline("boinc --daemon").write();
  }

  private Run run(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(
        java.util.stream.Stream.concat(
            java.util.stream.Stream.of(home.resolve("bin/orphan-reaper").toString()),
            java.util.stream.Stream.of(args)).toList());
    pb.environment().putAll(env);
    // a JVM that dies (an archive it should never have mapped) leaves hs_err_pid*.log in its
    // working directory: the test's, not the checkout the build runs in
    pb.directory(tmp.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  private Run debug(Map<String, String> env) throws IOException, InterruptedException {
    return run(env, "--debug", "--proc", fixture.toString());
  }

  @Test
  void archiveIsMadeOnFirstUseAndChangesNothing() throws Exception {
    Run without = debug(Map.of("ORPHAN_REAPER_CDS", "off"));
    assertThat(jsa).doesNotExist();
    Run first = debug(Map.of());
    assertThat(jsa).isNotEmptyFile();
    assertThat(home.resolve("target/orphan-reaper.jsa.id")).isNotEmptyFile();
    FileTime made = Files.getLastModifiedTime(jsa);
    Run second = debug(Map.of());
    assertThat(Files.getLastModifiedTime(jsa)).as("not made again").isEqualTo(made);
    for (Run r : List.of(without, first, second)) {
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).contains("boinc --daemon").contains("would-report");
    }
    assertThat(first.out()).isEqualTo(without.out());
    assertThat(second.out()).isEqualTo(without.out());
    try (var files = Files.list(home.resolve("target"))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("no temporary files left")
          .noneMatch(n -> n.endsWith(".tmp") || n.matches(".*\\.id\\.\\d+"));
    }
  }

  /**
   * The archive is trained on a fixture node with orphans (CdsTraining), not on whatever node
   * the launcher first runs on: a preview of a node with families loads none of the jar's
   * classes from the jar itself (each costs a parse and a bytecode verification per run).
   */
  @Test
  void aPreviewOfANodeWithOrphansLoadsNoClassFromTheJar() throws Exception {
    FakeProc fp = new FakeProc(fixture);
    fp.proc(700).uid(2_000_000_700).comm("python3").ageSeconds(7200).write(); // getent, kill
    fp.proc(701).ppid(700).sid(700).uid(2_000_000_700).comm("sh").write();
    fp.proc(800).uid(2_000_000_800).comm("tmux: server").cmdline("tmux").write();
    Path log = tmp.resolve("classes.log");
    assertThat(debug(Map.of()).exit()).isZero(); // makes the archive
    for (String form : List.of("--json", "--verbose")) {
      Run r = run(Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + log),
          "--debug", form, "--proc", fixture.toString());
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.out()).contains("would-kill").contains("would-report");
      List<String> loaded = Files.readAllLines(log);
      assertThat(loaded).as("the archive is used").anyMatch(l -> l.contains("shared objects file"));
      assertThat(loaded).as("classes read from the jar with " + form)
          .noneMatch(l -> l.contains("source: file:") || l.contains("source: jar:"));
    }
  }

  /**
   * Kill mode binds native calls (jnr-ffi, jffi: hundreds of classes) to signal and to write the
   * syslog socket; the training binds them too, signalling and sending nothing, so that a kill
   * run finds them in the archive. Checked on the training's own binding, with the archive it
   * made mapped (a kill run needs a PID namespace of its own).
   */
  @Test
  void theArchiveHoldsWhatKillModeBindsNativeCallsWith() throws Exception {
    assertThat(debug(Map.of()).exit()).isZero(); // makes the archive, and target/native's stub
    Path log = tmp.resolve("classes.log");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
        "-Xlog:class+load:file=" + log,
        "-Djffi.boot.library.path=" + home.resolve("target/native"), "-cp", jar.toString(),
        "org.orphanreaper.cli.CdsTraining")
        .directory(tmp.toFile()).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(said).isZero();
    List<String> loaded = Files.readAllLines(log);
    for (String name : List.of("jnr.ffi.LibraryLoader", "com.kenai.jffi.Invoker",
        "org.orphanreaper.act.NativePidfdCalls",
        "org.orphanreaper.sink.syslog.UnixDatagramSocket")) {
      assertThat(loaded).as(name + " from the archive")
          .anyMatch(l -> l.contains(" " + name + " source: shared objects file"));
    }
  }

  @Test
  void archiveIsMadeAgainWhenTheJarChanges() throws Exception {
    assertThat(debug(Map.of()).exit()).isZero();
    String before = Files.readString(home.resolve("target/orphan-reaper.jsa.id"));
    // A rebuilt jar: a new file, with a new modification time.
    Path fresh = home.resolve("target/fresh.jar");
    Files.copy(jar, fresh);
    Files.setLastModifiedTime(fresh, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    Files.move(fresh, jar, StandardCopyOption.REPLACE_EXISTING);
    Run r = debug(Map.of());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(Files.readString(home.resolve("target/orphan-reaper.jsa.id"))).isNotEqualTo(before);
    assertThat(jsa).isNotEmptyFile();
  }

  /**
   * Overwrites an archive the JVM wrote read-only (0444): root writes it anyway, anyone else
   * makes it writable first, as a damaged or foreign file would be.
   */
  private static void damage(Path file, byte[] bytes) throws java.io.IOException {
    if (Files.exists(file)) {
      file.toFile().setWritable(true, true);
    }
    Files.write(file, bytes);
  }

  @Test
  void anArchiveOfAnotherJarIsReplacedNotUsed() throws Exception {
    byte[] junk = new byte[65536];
    new java.util.Random(7).nextBytes(junk);
    damage(jsa, junk);
    Files.writeString(home.resolve("target/orphan-reaper.jsa.id"), "1:2:3 4:5:6\n");
    Run r = debug(Map.of());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains("would-report");
    assertThat(Files.readAllBytes(jsa)).isNotEqualTo(junk);
  }

  @Test
  void aDamagedArchiveIsNotUsedAndTheRunGoesOn() throws Exception {
    assertThat(debug(Map.of()).exit()).isZero();
    byte[] good = Files.readAllBytes(jsa);
    // cut short (the JVM would die of SIGBUS mapping it), then damaged in place at its size
    damage(jsa, java.util.Arrays.copyOf(good, good.length / 2));
    Run cut = debug(Map.of());
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x5a;
    damage(jsa, flipped);
    Run damaged = debug(Map.of());
    for (Run r : List.of(cut, damaged)) {
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).contains("would-report");
    }
  }

  @Test
  void whenTheArchiveCannotBeMadeRunsGoOnWithoutItAndDoNotRetry() throws Exception {
    // A java that fails whenever asked to write an archive, and counts the attempts.
    Path fakeBin = tmp.resolve("fakebin");
    Files.createDirectories(fakeBin);
    Path attempts = tmp.resolve("attempts");
    String realJava = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path fake = fakeBin.resolve("java");
    Files.writeString(fake, String.join("\n",
        "#!/bin/sh",
        "case \"$*\" in *ArchiveClassesAtExit*) echo x >> '" + attempts + "'; exit 1 ;; esac",
        "exec '" + realJava + "' \"$@\"", ""));
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> env = Map.of("PATH", fakeBin + ":" + System.getenv("PATH"));
    for (int i = 0; i < 2; i++) {
      Run r = debug(env);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.out()).contains("would-report");
    }
    assertThat(Files.readAllLines(attempts)).hasSize(1);
    assertThat(jsa).doesNotExist();
  }
}
