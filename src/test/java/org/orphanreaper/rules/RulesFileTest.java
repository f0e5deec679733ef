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
import org.orphanreaper.PidNamespace;

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

  private static final String WHY = "; whoever can write the rules decides what root kills";

  @Test
  void rootRefusesAGroupOrWorldWritableFile() throws Exception {
    assumeTrue(root(), "needs root; skipped");
    Files.setPosixFilePermissions(rules, PosixFilePermissions.fromString("rw-rw-r--"));
    assertThatThrownBy(() -> RulesFile.load(Optional.of(rules), rules, true))
        .hasMessage(rules + ": refusing rules: file " + rules + " is group-writable (mode 0664)"
            + WHY);
    Files.setPosixFilePermissions(rules, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThatThrownBy(() -> RulesFile.load(Optional.of(rules), rules, true))
        .hasMessage(rules + ": refusing rules: file " + rules + " is world-writable (mode 0666)"
            + WHY);
  }

  @Test
  void rootRefusesAFileOwnedBySomeoneElse() throws Exception {
    assumeTrue(root(), "needs root to chown; skipped");
    Files.setAttribute(rules, "unix:uid", PidNamespace.U1);
    assertThat(RulesFile.trust(rules)).singleElement().asString()
        .contains("file " + rules + " is owned by uid " + PidNamespace.U1 + ", not root");
  }

  @Test
  void rootRefusesAWritableDirectoryAndALinkFromOne() throws Exception {
    assumeTrue(root(), "needs root; skipped");
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxr-x"));
    Path link = Files.createSymbolicLink(open.resolve("rules.yaml"), rules);
    assertThat(RulesFile.trust(link)).singleElement().asString()
        .isEqualTo(link + ": refusing rules: directory " + open + " is group-writable (mode 0775)"
            + WHY);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(RulesFile.trust(rules)).singleElement().asString()
        .contains("directory " + dir + " is world-writable (mode 0777)");
  }

  /** Like /tmp: whoever can write there may not choose a name in root's path, sticky or not. */
  @Test
  void rootRefusesRulesBelowAStickyWorldWritableDirectory() throws Exception {
    assumeTrue(root(), "needs root; skipped");
    Path sticky = Files.createDirectory(dir.resolve("tmp"));
    Files.setPosixFilePermissions(sticky, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setAttribute(sticky, "unix:mode", 01777);
    Path inner = Files.createDirectory(sticky.resolve("conf"));
    Path file = Files.copy(rules, inner.resolve("rules.yaml"));
    assertThat(RulesFile.trust(file)).singleElement().asString()
        .contains("directory " + sticky + " is world-writable (mode 1777, sticky)");
  }

  /**
   * The chain: rules.yaml -> /home/u/hop.yaml -> /root/other.yaml. Every directory is
   * root's but the middle one, so only a walk of every hop sees that its owner (here a free uid,
   * no account needed) chooses what root obeys, by replacing hop.yaml.
   */
  @Test
  void rootRefusesAChainOfLinksThroughADirectoryOfSomeoneElse() throws Exception {
    assumeTrue(root(), "needs root to chown; skipped");
    Path etc = dir("etc", "rwxr-xr-x");
    Path home = dir("home", "rwxr-xr-x");
    Path user = dir("home/u", "rwxr-xr-x");
    Files.setAttribute(user, "unix:uid", PidNamespace.U1);
    Path rootHome = dir("root", "rwx------");
    Path other = Files.copy(rules, rootHome.resolve("other.yaml"));
    Path hop = Files.createSymbolicLink(user.resolve("hop.yaml"), other);
    Path first = Files.createSymbolicLink(etc.resolve("rules.yaml"), hop);
    assertThat(RulesFile.trust(first)).singleElement().asString()
        .isEqualTo(first + ": refusing rules: directory " + user + " (reached through link "
            + first + " -> " + hop + ") is owned by uid " + PidNamespace.U1 + ", not root" + WHY);
    assertThatThrownBy(() -> RulesFile.load(Optional.of(first), first, true))
        .isInstanceOf(RulesException.class).hasMessageContaining("directory " + user);
    // the same chain through root's own directories only is obeyed
    Files.setAttribute(user, "unix:uid", 0);
    assertThat(RulesFile.trust(first)).isEmpty();
    assertThat(home).isDirectory();
  }

  /** A link to a directory, and relative links with "..", are resolved hop by hop too. */
  @Test
  void rootChecksDirectoriesReachedThroughRelativeAndDirectoryLinks() throws Exception {
    assumeTrue(root(), "needs root to chown; skipped");
    Path conf = dir("conf", "rwxr-xr-x");
    Path theirs = dir("theirs", "rwxr-xr-x");
    Files.setAttribute(theirs, "unix:uid", PidNamespace.U1);
    Path real = dir("theirs/real", "rwxr-xr-x");
    Files.copy(rules, real.resolve("rules.yaml"));
    Path linkDir = Files.createSymbolicLink(conf.resolve("d"), Path.of("../theirs/real"));
    Path viaDir = linkDir.resolve("rules.yaml");
    assertThat(RulesFile.trust(viaDir)).singleElement().asString()
        .contains("refusing rules: directory " + theirs + " (reached through link " + linkDir
            + " -> ../theirs/real) is owned by uid " + PidNamespace.U1);
    Path rel = Files.createSymbolicLink(conf.resolve("r.yaml"), Path.of("./../rules.yaml"));
    assertThat(RulesFile.trust(rel)).isEmpty();
    Files.setPosixFilePermissions(rules, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThat(RulesFile.trust(rel)).singleElement().asString()
        .contains("file " + rules + " (reached through link " + rel + " -> ./../rules.yaml)"
            + " is world-writable (mode 0666)");
  }

  /** The directories above the temp dir are root's and 0755 (TrustedTempDirs). */
  private Path dir(String name, String mode) throws Exception {
    Path d = Files.createDirectory(dir.resolve(name));
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(mode));
    return d;
  }
}
