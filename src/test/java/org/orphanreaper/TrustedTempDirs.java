package org.orphanreaper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Every {@code @TempDir} (junit-platform.properties makes this the default factory): under
 * target/junit-tmp rather than /tmp. As root the reaper obeys only rules files whose every
 * directory from / down is root's and writable by nobody else, which a sticky, world-writable
 * /tmp is not; the scenarios that run it as root keep their rules in their temp dir. When the
 * checkout itself lies below such a directory (a user's home), root's temp dirs go below
 * /run/orphan-reaper-junit instead (root's, 0755; each test's own dir is removed by JUnit).
 */
public final class TrustedTempDirs implements TempDirFactory {

  @Override
  public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context)
      throws IOException {
    Path base = Path.of("target", "junit-tmp").toAbsolutePath();
    if (root() && !rootsAllTheWay(base.getParent())) {
      base = Path.of("/run/orphan-reaper-junit");
    }
    Files.createDirectories(base);
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    return Files.createTempDirectory(base, "junit"); // 0700
  }

  private static boolean root() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
  }

  /** {@code dir} and every directory above it are root's and not group- or world-writable. */
  private static boolean rootsAllTheWay(Path dir) throws IOException {
    for (Path p = dir.toRealPath(); p != null; p = p.getParent()) {
      if ((Integer) Files.getAttribute(p, "unix:uid") != 0
          || ((Integer) Files.getAttribute(p, "unix:mode") & 0022) != 0) {
        return false;
      }
    }
    return true;
  }
}
