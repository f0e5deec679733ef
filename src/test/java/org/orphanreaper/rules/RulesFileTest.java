package org.orphanreaper.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which file applies, and that root refuses rules that someone else can write. */
class RulesFileTest {

  @TempDir Path dir;
  Path rules;

  @BeforeEach
  void file() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    rules = dir.resolve("rules.yaml");
    Files.writeString(rules, "rules:\n  - name: mine\n    action: report\n");
    Files.setPosixFilePermissions(rules, PosixFilePermissions.fromString("rw-r--r--"));
  }

  private static boolean root() throws Exception {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
  }

  @Test
  void givenFileElseSystemFileElseBuiltIn() throws Exception {
    assertThat(RulesFile.load(Optional.of(rules), dir.resolve("none"), false).rules().get(0)
        .name()).isEqualTo("mine");
    assertThat(RulesFile.load(Optional.empty(), rules, false).source()).isEqualTo(rules.toString());
    assertThat(RulesFile.load(Optional.empty(), dir.resolve("none"), false).source())
        .isEqualTo(RulesFile.BUILT_IN);
    assertThatThrownBy(() -> RulesFile.load(Optional.of(dir.resolve("none")), rules, false))
        .isInstanceOf(RulesException.class).hasMessage(dir.resolve("none") + ": no such file");
  }

  @Test
  void rootAcceptsItsOwnFile() throws Exception {
    assumeTrue(root(), "needs root to own files as root; skipped");
    assertThat(RulesFile.trust(rules)).isEmpty();
  }

  @Test
  void rootRefusesAGroupOrWorldWritableFile() throws Exception {
    assumeTrue(root(), "needs root; skipped");
    Files.setPosixFilePermissions(rules, PosixFilePermissions.fromString("rw-rw-r--"));
    assertThatThrownBy(() -> RulesFile.load(Optional.of(rules), rules, true))
        .hasMessage(rules + ": refusing rules: the file is writable by its group (mode 0664);"
            + " whoever can write the rules decides what root kills");
  }

  @Test
  void rootRefusesAFileOwnedBySomeoneElse() throws Exception {
    assumeTrue(root(), "needs root to chown; skipped");
    Files.setAttribute(rules, "unix:uid", 5001);
    assertThat(RulesFile.trust(rules)).singleElement().asString()
        .contains("the file is owned by uid 5001, not root");
  }

  @Test
  void rootRefusesAWritableDirectoryAndALinkFromOne() throws Exception {
    assumeTrue(root(), "needs root; skipped");
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path link = Files.createSymbolicLink(open.resolve("rules.yaml"), rules);
    assertThat(RulesFile.trust(link)).singleElement().asString()
        .contains("the directory of its link " + open + " is writable by its group");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(RulesFile.trust(rules)).singleElement().asString()
        .contains("its directory " + dir + " is writable by its group");
  }
}
