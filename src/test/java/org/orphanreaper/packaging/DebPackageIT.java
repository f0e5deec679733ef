package org.orphanreaper.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb the package phase built, read with dpkg-deb: every path with its mode and owner, the
 * control fields, conffiles and maintainer scripts, and each file against its source in the
 * checkout. Needs no root; DebInstallIT installs it.
 */
class DebPackageIT {

  /** dpkg-deb -c of the package: mode, owner, path; nothing more, nothing less. */
  private static final List<String> LAYOUT =
      List.of(
          "drwxr-xr-x root/root ./etc/",
          "drwxr-xr-x root/root ./etc/cron.d/",
          "-rw-r--r-- root/root ./etc/cron.d/orphan-reaper",
          "drwxr-xr-x root/root ./etc/orphan-reaper/",
          "-rw-r--r-- root/root ./etc/orphan-reaper/rules.yaml",
          "drwxr-xr-x root/root ./lib/",
          "drwxr-xr-x root/root ./lib/systemd/",
          "drwxr-xr-x root/root ./lib/systemd/system/",
          "-rw-r--r-- root/root ./lib/systemd/system/orphan-reaper.service",
          "-rw-r--r-- root/root ./lib/systemd/system/orphan-reaper.timer",
          "drwxr-xr-x root/root ./usr/",
          "drwxr-xr-x root/root ./usr/sbin/",
          "-rwxr-xr-x root/root ./usr/sbin/orphan-reaper",
          "drwxr-xr-x root/root ./usr/share/",
          "drwxr-xr-x root/root ./usr/share/doc/",
          "drwxr-xr-x root/root ./usr/share/doc/orphan-reaper/",
          "-rw-r--r-- root/root ./usr/share/doc/orphan-reaper/README.md.gz",
          "-rw-r--r-- root/root ./usr/share/doc/orphan-reaper/changelog.gz",
          "-rw-r--r-- root/root ./usr/share/doc/orphan-reaper/copyright",
          "drwxr-xr-x root/root ./usr/share/doc/orphan-reaper/examples/",
          "-rw-r--r-- root/root ./usr/share/doc/orphan-reaper/examples/ce.yaml",
          "-rw-r--r-- root/root ./usr/share/doc/orphan-reaper/examples/default.yaml",
          "-rw-r--r-- root/root ./usr/share/doc/orphan-reaper/examples/worker-node.yaml",
          "drwxr-xr-x root/root ./usr/share/man/",
          "drwxr-xr-x root/root ./usr/share/man/man8/",
          "-rw-r--r-- root/root ./usr/share/man/man8/orphan-reaper.8.gz",
          "drwxr-xr-x root/root ./usr/share/orphan-reaper/",
          "-rw-r--r-- root/root ./usr/share/orphan-reaper/orphan-reaper.jar");

  @TempDir Path tmp;
  private Path deb;

  @BeforeEach
  void needsDpkgDeb() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-deb")), "needs dpkg-deb; skipped");
    deb = Packages.deb();
  }

  @Test
  void everyPathHasItsModeAndOwnerAndNothingElseIsShipped() throws Exception {
    List<String> entries =
        Cmd.run("dpkg-deb", "-c", deb.toString())
            .ok()
            .out()
            .lines()
            .map(l -> l.split("\\s+"))
            .map(f -> f[0] + " " + f[1] + " " + f[5])
            .toList();
    assertThat(entries).containsExactlyInAnyOrderElementsOf(LAYOUT);
  }

  @Test
  void controlSaysWhatItIsAndWhatItNeeds() throws Exception {
    Cmd f =
        Cmd.run(
                "dpkg-deb",
                "-f",
                deb.toString(),
                "Package",
                "Version",
                "Architecture",
                "Section",
                "Priority",
                "Depends")
            .ok();
    String version = Packages.version();
    assertThat(f.out().lines())
        .containsExactly(
            "Package: orphan-reaper",
            // jdeb writes a Maven -SNAPSHOT as ~SNAPSHOT, which sorts before the release.
            "Version: " + version.replace("-SNAPSHOT", "~SNAPSHOT"),
            "Architecture: all",
            "Section: admin",
            "Priority: optional",
            "Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless");
    assertThat(deb.getFileName().toString())
        .isEqualTo("orphan-reaper_" + version.replace("-SNAPSHOT", "~SNAPSHOT") + "_all.deb");
  }

  @Test
  void conffilesTriggerAndMaintainerScripts() throws Exception {
    Path control = tmp.resolve("control");
    Cmd.run("dpkg-deb", "-e", deb.toString(), control.toString()).ok();
    assertThat(Files.readAllLines(control.resolve("conffiles")))
        .containsExactlyInAnyOrder("/etc/orphan-reaper/rules.yaml", "/etc/cron.d/orphan-reaper");
    assertThat(Files.readAllLines(control.resolve("triggers")))
        .filteredOn(l -> !l.isBlank() && !l.startsWith("#"))
        .containsExactly("interest-noawait /usr/lib/jvm");
    for (String script : List.of("postinst", "prerm", "postrm")) {
      Path p = control.resolve(script);
      assertThat(p).isExecutable();
      assertThat(Files.readString(p)).startsWith("#!/bin/sh\n").contains("\nset -e\n");
      Cmd.run("sh", "-n", p.toString()).ok();
    }
    assertThat(control.resolve("preinst")).doesNotExist();
  }

  @Test
  void filesAreTheCheckoutsOwn() throws Exception {
    Path root = tmp.resolve("root");
    Cmd.run("dpkg-deb", "-x", deb.toString(), root.toString()).ok();
    Packages.same(root, "usr/sbin/orphan-reaper", "src/dist/orphan-reaper");
    Packages.same(root, "usr/share/orphan-reaper/orphan-reaper.jar", "target/orphan-reaper.jar");
    Packages.same(root, "etc/orphan-reaper/rules.yaml", "rules/default.yaml");
    Packages.same(root, "etc/cron.d/orphan-reaper", "cron.d/orphan-reaper");
    Packages.same(
        root, "lib/systemd/system/orphan-reaper.service", "src/dist/systemd/orphan-reaper.service");
    Packages.same(
        root, "lib/systemd/system/orphan-reaper.timer", "src/dist/systemd/orphan-reaper.timer");
    Packages.same(root, "usr/share/doc/orphan-reaper/copyright", "src/deb/copyright");
    for (String rules : List.of("default", "worker-node", "ce")) {
      Packages.same(
          root,
          "usr/share/doc/orphan-reaper/examples/" + rules + ".yaml",
          "rules/" + rules + ".yaml");
    }
    Path doc = root.resolve("usr/share/doc/orphan-reaper");
    assertThat(gunzip(root.resolve("usr/share/man/man8/orphan-reaper.8.gz")))
        .isEqualTo(Files.readAllBytes(Path.of("man/orphan-reaper.8")));
    assertThat(gunzip(doc.resolve("README.md.gz")))
        .isEqualTo(Files.readAllBytes(Path.of("README.md")));
    assertThat(gunzip(doc.resolve("changelog.gz")))
        .isEqualTo(Files.readAllBytes(Path.of("src/deb/changelog")));
  }

  @Test
  void changelogsTopEntryIsThisVersion() throws Exception {
    // dpkg-parsechangelog's first line; a version bump needs an entry in src/deb/changelog
    // (and in the spec's %changelog).
    String top = Files.readAllLines(Path.of("src/deb/changelog")).get(0);
    assertThat(top)
        .as("src/deb/changelog's top entry")
        .startsWith("orphan-reaper (" + Packages.version().replace("-SNAPSHOT", "") + ") ");
  }

  private static byte[] gunzip(Path gz) throws Exception {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return in.readAllBytes();
    }
  }
}
