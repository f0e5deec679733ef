package org.orphanreaper.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * src/rpm/build makes the RPM from the packaged jar; rpm reads it back: the Debian package's
 * layout, its config files, requirements and scriptlets. As root it is also installed, without its
 * scriptlets, into a scratch root and erased again there (never into this machine's own).
 */
class RpmPackageIT {

  @TempDir Path tmp;
  private Path rpm;

  @BeforeEach
  void build() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/rpmbuild")),
        "needs rpmbuild (Debian package rpm); skipped");
    Cmd b = Cmd.run("src/rpm/build", tmp.resolve("rpm").toString()).ok();
    rpm = Path.of(b.out().trim());
    assertThat(rpm).isRegularFile();
    assertThat(rpm.getFileName().toString())
        .isEqualTo("orphan-reaper-" + rpmVersion() + "-1.noarch.rpm");
  }

  /** RPM versions cannot hold '-': src/rpm/build makes 0.2.0-SNAPSHOT 0.2.0~SNAPSHOT. */
  private static String rpmVersion() throws Exception {
    return Packages.version().replace('-', '~');
  }

  private String query(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("rpm", "-qp"));
    cmd.addAll(List.of(args));
    cmd.add(rpm.toString());
    return Cmd.run(cmd).ok().out();
  }

  @Test
  void layoutIsTheDebiansWithModesAndOwners() throws Exception {
    // rpm --dump: path size mtime digest mode owner group isconfig isdoc rdev symlink
    Map<String, String> modes =
        query("--dump")
            .lines()
            .map(l -> l.split(" "))
            .collect(
                Collectors.toMap(
                    f -> f[0], f -> f[4] + " " + f[5] + ":" + f[6] + " config=" + f[7]));
    // Debian's rpm names doc directories NAME-VERSION, Fedora's NAME: either is the doc dir.
    Map<String, String> normalised =
        modes.entrySet().stream()
            .collect(
                Collectors.toMap(
                    e ->
                        e.getKey()
                            .replaceFirst("^/usr/share/doc/orphan-reaper(-[^/]+)?", "DOC")
                            .replaceFirst("^/usr/share/licenses/orphan-reaper(-[^/]+)?", "LICENSES"),
                    Map.Entry::getValue));
    assertThat(normalised)
        .containsOnly(
            Map.entry("/usr/sbin/orphan-reaper", "0100755 root:root config=0"),
            Map.entry("/usr/share/orphan-reaper", "040755 root:root config=0"),
            Map.entry("/usr/share/orphan-reaper/orphan-reaper.jar", "0100644 root:root config=0"),
            Map.entry("/etc/orphan-reaper", "040755 root:root config=0"),
            Map.entry("/etc/orphan-reaper/rules.yaml", "0100644 root:root config=1"),
            Map.entry("/etc/cron.d/orphan-reaper", "0100644 root:root config=1"),
            Map.entry(
                "/usr/lib/systemd/system/orphan-reaper.service", "0100644 root:root config=0"),
            Map.entry("/usr/lib/systemd/system/orphan-reaper.timer", "0100644 root:root config=0"),
            Map.entry("/usr/share/man/man8/orphan-reaper.8.gz", "0100644 root:root config=0"),
            Map.entry("DOC", "040755 root:root config=0"),
            Map.entry("DOC/README.md", "0100644 root:root config=0"),
            Map.entry("DOC/examples", "040755 root:root config=0"),
            Map.entry("DOC/examples/default.yaml", "0100644 root:root config=0"),
            Map.entry("DOC/examples/worker-node.yaml", "0100644 root:root config=0"),
            Map.entry("DOC/examples/ce.yaml", "0100644 root:root config=0"),
            Map.entry("LICENSES", "040755 root:root config=0"),
            Map.entry("LICENSES/copyright", "0100644 root:root config=0"),
            Map.entry("/var/lib/orphan-reaper", "040700 root:root config=0"),
            Map.entry("/var/log/orphan-reaper", "040700 root:root config=0"),
            Map.entry("/var/cache/orphan-reaper", "040755 root:root config=0"),
            Map.entry("/var/cache/orphan-reaper/orphan-reaper.jsa", "0100644 root:root config=0"),
            Map.entry(
                "/var/cache/orphan-reaper/orphan-reaper.jsa.id", "0100644 root:root config=0"),
            Map.entry("/usr/lib/orphan-reaper", "040755 root:root config=0"),
            Map.entry("/usr/lib/orphan-reaper/native", "040755 root:root config=0"),
            Map.entry(
                "/usr/lib/orphan-reaper/native/libjffi-1.2.so", "0100644 root:root config=0"));
    assertThat(query("--configfiles").lines())
        .containsExactlyInAnyOrder("/etc/orphan-reaper/rules.yaml", "/etc/cron.d/orphan-reaper");
    // %ghost: owned, so erase removes the archive, but not shipped (postinst makes it).
    assertThat(query("--qf", "[%{FILENAMES} %{FILEFLAGS:fflags}\\n]").lines())
        .contains(
            "/var/cache/orphan-reaper/orphan-reaper.jsa g",
            "/usr/lib/orphan-reaper/native/libjffi-1.2.so g",
            "/etc/orphan-reaper/rules.yaml cn",
            "/etc/cron.d/orphan-reaper cn");
  }

  @Test
  void needsJava17AndSaysWhatItIs() throws Exception {
    assertThat(query("--requires").lines())
        .contains("(java-17-headless or java-headless >= 1:17)", "coreutils", "util-linux");
    assertThat(query("--qf", "%{NAME} %{VERSION} %{ARCH}"))
        .isEqualTo("orphan-reaper " + rpmVersion() + " noarch");
    assertThat(query("--changelog").lines().findFirst().orElseThrow())
        .as("the spec's %changelog has an entry for this version")
        .endsWith("- " + Packages.version().replace("-SNAPSHOT", "") + "-1");
  }

  @Test
  void scriptletsMakeTheArchiveAndFollowJavaUpdates() throws Exception {
    String post = query("--qf", "%{POSTIN}");
    assertThat(post)
        .contains("ORPHAN_REAPER_CDS=make /usr/sbin/orphan-reaper")
        .as("a failure never fails the install")
        .contains("|| echo");
    assertThat(post)
        .as("the native stub, extracted once; without it kill mode cannot signal")
        .contains("ORPHAN_REAPER_NATIVE=make /usr/sbin/orphan-reaper || {")
        .contains("exit 1");
    assertThat(query("--qf", "%{PREUN}")).contains("systemctl stop orphan-reaper.timer");
    for (String tag : List.of("POSTIN", "PREUN", "POSTUN")) {
      Path script = tmp.resolve(tag);
      Files.writeString(script, query("--qf", "%{" + tag + "}"));
      Cmd.run("sh", "-n", script.toString()).ok();
    }
    String triggers = query("--filetriggers");
    assertThat(triggers)
        .contains("transfiletriggerin scriptlet (using /bin/sh) -- /usr/lib/jvm")
        .contains("transfiletriggerpostun scriptlet (using /bin/sh) -- /usr/lib/jvm");
  }

  @Test
  void installsIntoAScratchRootAndEraseKeepsStateAndConfiguration() throws Exception {
    assumeTrue(Packages.root(), "needs root for rpm --root; skipped");
    Path root = tmp.resolve("root");
    Path db = tmp.resolve("rpmdb");
    List<String> rpmIn = List.of("rpm", "--root", root.toString(), "--dbpath", db.toString());
    Cmd.run(concat(rpmIn, "--initdb")).ok();
    // --noscripts: the scriptlets would run a JVM inside the scratch root, which has none.
    Cmd.run(concat(rpmIn, "-i", "--nodeps", "--noscripts", rpm.toString())).ok();
    Packages.same(root, "usr/sbin/orphan-reaper", "src/dist/orphan-reaper");
    Packages.same(root, "usr/share/orphan-reaper/orphan-reaper.jar", "target/orphan-reaper.jar");
    Packages.same(root, "etc/orphan-reaper/rules.yaml", "rules/default.yaml");
    Packages.same(root, "etc/cron.d/orphan-reaper", "cron.d/orphan-reaper");
    Packages.same(
        root,
        "usr/lib/systemd/system/orphan-reaper.service",
        "src/dist/systemd/orphan-reaper.service");
    Packages.same(
        root, "usr/lib/systemd/system/orphan-reaper.timer", "src/dist/systemd/orphan-reaper.timer");
    assertThat(Packages.modeAndOwner(root.resolve("var/lib/orphan-reaper")))
        .isEqualTo("700 root:root");
    assertThat(Packages.modeAndOwner(root.resolve("var/log/orphan-reaper")))
        .isEqualTo("700 root:root");

    // What postinst and runs would have made, then an admin's edit of the rules.
    Files.writeString(root.resolve("var/cache/orphan-reaper/orphan-reaper.jsa"), "archive");
    Files.writeString(root.resolve("usr/lib/orphan-reaper/native/libjffi-1.2.so"), "stub");
    Files.writeString(root.resolve("var/lib/orphan-reaper/grace.state"), "state");
    Files.writeString(root.resolve("var/log/orphan-reaper/accounting.jsonl"), "{}\n");
    Files.writeString(root.resolve("etc/orphan-reaper/rules.yaml"), "rules: []\n");
    Cmd.run(concat(rpmIn, "-e", "--nodeps", "--noscripts", "orphan-reaper")).ok();
    assertThat(root.resolve("usr/sbin/orphan-reaper")).doesNotExist();
    assertThat(root.resolve("var/cache/orphan-reaper")).as("the archive goes").doesNotExist();
    assertThat(root.resolve("usr/lib/orphan-reaper")).as("the stub goes").doesNotExist();
    assertThat(root.resolve("var/lib/orphan-reaper/grace.state")).hasContent("state");
    assertThat(root.resolve("var/log/orphan-reaper/accounting.jsonl")).exists();
    assertThat(root.resolve("etc/orphan-reaper/rules.yaml.rpmsave")).hasContent("rules: []");
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new java.util.ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }
}
