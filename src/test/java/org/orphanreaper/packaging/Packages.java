package org.orphanreaper.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** What the packaging tests share: the built artifacts, and who runs the tests. */
final class Packages {

  static final Path JAR = Path.of("target/orphan-reaper.jar");

  private Packages() {}

  /** The one .deb the package phase made (a stale one of another version is an error). */
  static Path deb() throws IOException {
    List<Path> debs;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      debs =
          files
              .filter(f -> f.getFileName().toString().matches("orphan-reaper_.+_all\\.deb"))
              .toList();
    }
    assertThat(debs)
        .as("exactly one target/orphan-reaper_*_all.deb (mvn clean removes old ones)")
        .hasSize(1);
    return debs.get(0);
  }

  /** The version the jar reports (its manifest's Implementation-Version). */
  static String version() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
  }

  /** True when this JVM runs as root (the owner of /proc/self is the effective uid). */
  static boolean root() throws IOException {
    return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
  }

  /** Asserts that {@code installed}, under {@code root}, has the bytes of the checkout's file. */
  static void same(Path root, String installed, String source) throws IOException {
    assertThat(
            java.util.Arrays.equals(
                Files.readAllBytes(root.resolve(installed)), Files.readAllBytes(Path.of(source))))
        .as(installed + " is " + source)
        .isTrue();
  }

  /** The file's mode as "755" and its owner as "root:root". */
  static String modeAndOwner(Path p) throws IOException {
    int mode =
        (Integer) Files.getAttribute(p, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
    String owner = Files.getOwner(p).getName();
    String group =
        Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class)
            .group()
            .getName();
    return String.format("%o %s:%s", mode & 07777, owner, group);
  }
}
