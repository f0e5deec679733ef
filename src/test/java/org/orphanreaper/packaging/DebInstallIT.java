package org.orphanreaper.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.sink.accounting.ParsedJson;

/**
 * The .deb installed on this machine with dpkg, used as an admin would, then removed and purged.
 * Needs root and a machine where orphan-reaper is not installed: an install this test did not make
 * (no marker in /run) is never touched, the test fails instead. The launcher runs --check,
 * --version and --debug on the real /proc, which kill nothing, and kill mode only in a PID
 * namespace of its own, with rules that keep every family.
 */
class DebInstallIT {

  private static final String PKG = "orphan-reaper";
  private static final Path LAUNCHER = Path.of("/usr/sbin/orphan-reaper");
  private static final Path CACHE = Path.of("/var/cache/orphan-reaper");
  private static final Path JSA = CACHE.resolve("orphan-reaper.jsa");
  private static final Path JSA_ID = CACHE.resolve("orphan-reaper.jsa.id");
  private static final Path STATE = Path.of("/var/lib/orphan-reaper");
  private static final Path LOGS = Path.of("/var/log/orphan-reaper");
  private static final Path RULES = Path.of("/etc/orphan-reaper/rules.yaml");
  private static final Path CRON = Path.of("/etc/cron.d/orphan-reaper");
  private static final Path NATIVE = Path.of("/usr/lib/orphan-reaper/native");
  private static final Path STUB = NATIVE.resolve("libjffi-1.2.so");

  /** Written before dpkg -i, removed after the purge: a leftover means this test installed it. */
  private static final Path MARKER = Path.of("/run/orphan-reaper-DebInstallIT.installed");

  /** Everything the package puts on the machine, made by dpkg or its scripts. */
  private static final List<Path> INSTALLED =
      List.of(
          LAUNCHER,
          Path.of("/usr/share/orphan-reaper/orphan-reaper.jar"),
          RULES,
          CRON,
          Path.of("/lib/systemd/system/orphan-reaper.service"),
          Path.of("/lib/systemd/system/orphan-reaper.timer"),
          Path.of("/usr/share/man/man8/orphan-reaper.8.gz"),
          Path.of("/usr/share/doc/orphan-reaper/copyright"),
          Path.of("/usr/share/doc/orphan-reaper/examples/worker-node.yaml"),
          JSA,
          JSA_ID,
          STUB,
          STATE,
          LOGS);

  @TempDir Path tmp;

  @Test
  void installUseRemovePurge() throws Exception {
    assumeTrue(Packages.root(), "needs root to install a package; skipped");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "needs dpkg; skipped");
    Path deb = Packages.deb();
    clearTheWay();
    Files.writeString(MARKER, deb.toAbsolutePath() + "\n");
    try {
      Cmd.run("dpkg", "-i", deb.toString()).ok();
      installedLayout();
      launcherRuns();
      killModeLoadsTheStubExtractedAtInstall();
      classDataArchive();
      unitsLoadAndPageRenders();
      removeKeepsConfigurationStateAndLogsAndDisarmsCron();
      Cmd.run("dpkg", "--purge", PKG).ok();
      assertThat(status()).as("dpkg forgot the package").isEmpty();
      for (Path p : INSTALLED) {
        assertThat(p).as("purged").doesNotExist();
      }
      assertThat(Path.of("/etc/orphan-reaper")).doesNotExist();
      assertThat(Path.of("/usr/share/orphan-reaper")).doesNotExist();
      assertThat(Path.of("/usr/lib/orphan-reaper")).doesNotExist();
      assertThat(CACHE).doesNotExist();
    } finally {
      if (!status().isEmpty()) {
        Cmd.run("dpkg", "--purge", PKG);
      }
      Files.deleteIfExists(MARKER);
    }
  }

  /** Fails, touching nothing, when someone else's orphan-reaper is on this machine. */
  private static void clearTheWay() throws Exception {
    String status = status();
    if (!status.isEmpty() && Files.exists(MARKER)) {
      // This test's own install, left by a run that was killed before its purge.
      Cmd.run("dpkg", "--purge", PKG).ok();
      status = status();
    }
    if (!status.isEmpty()) {
      fail(
          "orphan-reaper is already known to dpkg here ("
              + status
              + "), and not installed by "
              + "this test: it purges only what it installed. Run 'dpkg --purge orphan-reaper' "
              + "(it deletes /etc/orphan-reaper and the state and logs) and run the test again.");
    }
    for (Path p : List.of(LAUNCHER, Path.of("/etc/orphan-reaper"), STATE, LOGS)) {
      if (Files.exists(p)) {
        fail(
            p
                + " exists but no package owns it: a hand-made install? This test would "
                + "install over it and purge it; move it away and run the test again.");
      }
    }
  }

  /** dpkg's status of the package ("install ok installed"), empty when dpkg does not know it. */
  private static String status() throws Exception {
    Cmd q = Cmd.run("dpkg-query", "-W", "-f=${Status}", PKG);
    return q.exit() == 0 ? q.out().trim() : "";
  }

  private void installedLayout() throws Exception {
    assertThat(status()).isEqualTo("install ok installed");
    assertThat(Packages.modeAndOwner(LAUNCHER)).isEqualTo("755 root:root");
    assertThat(Packages.modeAndOwner(Path.of("/usr/share/orphan-reaper/orphan-reaper.jar")))
        .isEqualTo("644 root:root");
    assertThat(Packages.modeAndOwner(RULES)).isEqualTo("644 root:root");
    assertThat(Packages.modeAndOwner(CRON)).isEqualTo("644 root:root");
    // Grace state and accounting records: root's alone; the native stub: root's to write.
    assertThat(Packages.modeAndOwner(NATIVE)).isEqualTo("755 root:root");
    assertThat(Packages.modeAndOwner(STUB)).isEqualTo("644 root:root");
    assertThat(Packages.modeAndOwner(STATE)).isEqualTo("700 root:root");
    assertThat(Packages.modeAndOwner(LOGS)).isEqualTo("700 root:root");
    assertThat(Packages.modeAndOwner(CACHE)).isEqualTo("755 root:root");
    assertThat(Packages.modeAndOwner(JSA)).isEqualTo("644 root:root");
    assertThat(JSA).isNotEmptyFile();
    String conffiles = Cmd.run("dpkg-query", "-W", "-f=${Conffiles}", PKG).ok().out();
    assertThat(conffiles.lines().map(String::trim).map(l -> l.split(" ")[0]))
        .containsExactlyInAnyOrder(RULES.toString(), CRON.toString());
    assertThat(Files.readAllLines(Path.of("/var/lib/dpkg/triggers/File")))
        .contains("/usr/lib/jvm " + PKG + "/noawait");
  }

  private void launcherRuns() throws Exception {
    Cmd check = Cmd.run(LAUNCHER.toString(), "--check");
    assertThat(check.exit()).as(check.describe()).isZero();
    assertThat(check.out())
        .as("the installed rules, found where the package put them")
        .startsWith("# " + RULES + ": valid");
    Cmd debug = Cmd.run(LAUNCHER.toString(), "--debug", "--json");
    assertThat(debug.exit()).as(debug.describe()).isZero();
    assertThat(debug.err()).isEmpty();
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = (Map<String, Object>) ParsedJson.parse(debug.out());
    assertThat(doc).containsEntry("mode", "debug").containsKeys("scanned", "families");
    assertThat(((java.math.BigDecimal) doc.get("scanned")).intValue()).isPositive();
    Cmd version = Cmd.run(LAUNCHER.toString(), "--version").ok();
    assertThat(version.out().lines()).first().isEqualTo("orphan-reaper " + Packages.version());
    assertThat(version.out().lines()).element(1).asString().startsWith("signalling: ");
  }

  /**
   * Kill mode binds the stub postinst extracted, and extracts nothing itself: neither jffi's
   * extraction directory nor the temp directory can take a file. Without the stub it says so and
   * kills nothing; the launcher's make mode extracts it again. Each run is kill mode in a PID
   * namespace of its own, whose rules keep every family anyway.
   */
  private void killModeLoadsTheStubExtractedAtInstall() throws Exception {
    Path empty = Files.createDirectory(tmp.resolve("jtmp"));
    Path rules = Files.writeString(tmp.resolve("keep-all.yaml"),
        "rules:\n  - name: keep-all\n    action: keep\n");
    List<String> kill = List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child",
        LAUNCHER.toString(), "--rules", rules.toString(), "--lock", tmp.resolve("lock").toString(),
        "--state", tmp.resolve("grace.state").toString(), "--accounting",
        tmp.resolve("accounting.jsonl").toString(), "--syslog-socket",
        tmp.resolve("no-syslog").toString());
    Map<String, String> noExtraction = Map.of("JAVA_TOOL_OPTIONS",
        "-Djava.io.tmpdir=" + empty + " -Djffi.extract.dir=" + tmp.resolve("nonexistent"));

    Cmd run = Cmd.run(kill, noExtraction, Duration.ofMinutes(2));
    assertThat(run.exit()).as(run.describe()).isZero();
    assertThat(empty).isEmptyDirectory();

    Files.delete(STUB);
    Cmd without = Cmd.run(kill, noExtraction, Duration.ofMinutes(2));
    assertThat(without.exit()).as(without.describe()).isEqualTo(4);
    assertThat(without.err()).contains("orphan-reaper: kill mode cannot signal: the native stub "
        + STUB + " is missing; nothing was scanned or killed");
    assertThat(empty).isEmptyDirectory();

    Cmd.run(List.of(LAUNCHER.toString()), Map.of("ORPHAN_REAPER_NATIVE", "make"),
        Duration.ofMinutes(2)).ok();
    assertThat(Packages.modeAndOwner(STUB)).isEqualTo("644 root:root");
    Cmd again = Cmd.run(kill, noExtraction, Duration.ofMinutes(2));
    assertThat(again.exit()).as(again.describe()).isZero();
  }

  private void classDataArchive() throws Exception {
    assertThat(archiveUsed()).as("the archive postinst made is used").isTrue();
    // Another user runs --debug too: the archive is readable, the state directory is not.
    assertThat(archiveUsedBy("65534")).as("used by uid 65534").isTrue();

    Files.delete(JSA);
    assertThat(archiveUsed()).as("deleted: runs go on without it").isFalse();

    remakeByTrigger();
    assertThat(archiveUsed()).as("made anew by the /usr/lib/jvm trigger").isTrue();

    // Damage that keeps the size and the time: only the archive's checksum tells.
    FileTime time = Files.getLastModifiedTime(JSA);
    try (RandomAccessFile f = new RandomAccessFile(JSA.toFile(), "rw")) {
      f.seek(f.length() / 2);
      f.write(new byte[64 * 1024]);
    }
    Files.setLastModifiedTime(JSA, time);
    assertThat(archiveUsed()).as("corrupted in place: refused by its checksum").isFalse();

    // Truncated (a full disk, say): mapping it would crash the JVM; the launcher never passes it.
    remakeByTrigger();
    try (RandomAccessFile f = new RandomAccessFile(JSA.toFile(), "rw")) {
      f.setLength(f.length() / 2);
    }
    assertThat(archiveUsed()).as("truncated: not passed to the JVM").isFalse();

    // An archive of another jar or JVM: the .id no longer matches.
    remakeByTrigger();
    Files.writeString(JSA_ID, "1:2:3 4:5:6 7:8:9 10:11:12\n");
    assertThat(archiveUsed()).as("made from something else: not used").isFalse();
    remakeByTrigger();
    assertThat(archiveUsed()).isTrue();
  }

  /** What a JDK upgrade does: dpkg runs postinst "triggered" for the /usr/lib/jvm interest. */
  private static void remakeByTrigger() throws Exception {
    Cmd.run("dpkg-trigger", "--no-await", "/usr/lib/jvm").ok();
    Cmd.run("dpkg", "--triggers-only", PKG).ok();
    assertThat(status()).isEqualTo("install ok installed");
  }

  private boolean archiveUsed() throws Exception {
    return archiveUsedBy(null);
  }

  /**
   * Runs the launcher's --version (as {@code uid} when not null) with class loading logged, and
   * tells whether the reaper's classes came from the archive. The run itself must work either way,
   * saying nothing on stderr but the JVM's note of JAVA_TOOL_OPTIONS.
   */
  private boolean archiveUsedBy(String uid) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "cds");
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path log = dir.resolve("classes.log");
    List<String> cmd = new ArrayList<>();
    if (uid != null) {
      cmd.addAll(List.of("setpriv", "--reuid", uid, "--regid", uid, "--clear-groups"));
    }
    cmd.addAll(List.of(LAUNCHER.toString(), "--version"));
    // A JVM that maps a damaged archive crashes, or hangs: a minute is ample for --version.
    Cmd r =
        Cmd.run(
            cmd,
            Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log),
            Duration.ofMinutes(1));
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(r.out()).startsWith("orphan-reaper ");
    assertThat(r.err().lines())
        .as(r.describe())
        .allMatch(l -> l.startsWith("Picked up JAVA_TOOL_OPTIONS"));
    List<String> ours =
        Files.readAllLines(log).stream()
            .filter(l -> l.contains(" org.orphanreaper.cli.Main "))
            .toList();
    assertThat(ours).as("Main was loaded once").hasSize(1);
    return ours.get(0).contains("source: shared objects file");
  }

  private void unitsLoadAndPageRenders() throws Exception {
    // Loads both units as systemd would (no systemd needs to run): syntax, ExecStart, man page.
    Cmd verify =
        Cmd.run("systemd-analyze", "verify", "orphan-reaper.timer", "orphan-reaper.service");
    assertThat(verify.exit()).as(verify.describe()).isZero();
    assertThat(verify.err()).as(verify.describe()).isEmpty();
    Cmd man =
        Cmd.run(List.of("man", "8", "orphan-reaper"), Map.of("MANPAGER", "cat", "MANWIDTH", "80"));
    assertThat(man.exit()).as(man.describe()).isZero();
    assertThat(man.out()).contains("ORPHAN-REAPER(8)", "FILES", "/var/cache/orphan-reaper");
    Cmd groff =
        Cmd.run(
            "sh",
            "-c",
            "zcat /usr/share/man/man8/orphan-reaper.8.gz | groff -man -ww -Tutf8 >/dev/null");
    assertThat(groff.exit()).as(groff.describe()).isZero();
    assertThat(groff.err()).as("groff warnings").isEmpty();
  }

  private void removeKeepsConfigurationStateAndLogsAndDisarmsCron() throws Exception {
    Files.writeString(STATE.resolve("grace.state"), "kept by remove\n");
    Files.writeString(LOGS.resolve("accounting.jsonl"), "{}\n");
    Cmd.run("dpkg", "-r", PKG).ok();
    assertThat(status()).isEqualTo("deinstall ok config-files");
    assertThat(LAUNCHER).doesNotExist();
    assertThat(Path.of("/usr/share/orphan-reaper")).doesNotExist();
    assertThat(Path.of("/lib/systemd/system/orphan-reaper.timer")).doesNotExist();
    assertThat(CACHE).as("the archive of a removed jar").doesNotExist();
    assertThat(Path.of("/usr/lib/orphan-reaper")).as("the stub of a removed jar").doesNotExist();
    assertThat(RULES).exists();
    assertThat(STATE.resolve("grace.state")).hasContent("kept by remove");
    assertThat(LOGS.resolve("accounting.jsonl")).exists();
    // The cron entry stays (a conffile). Enabled, its guard must stop it: run the line with the
    // reaper's part replaced, so nothing can ever start kill mode here.
    String line =
        Files.readAllLines(CRON).stream()
            .filter(l -> l.contains("root test -x"))
            .findFirst()
            .orElseThrow();
    String guard = line.substring(line.indexOf("test -x"), line.indexOf("&&"));
    assertThat(guard.trim()).isEqualTo("test -x " + LAUNCHER);
    Cmd cron = Cmd.run("sh", "-c", guard + "&& echo would-run");
    assertThat(cron.out() + cron.err()).as("no run, no mail").isEmpty();
  }
}
