package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.proc.FakeProc;

/**
 * The class-data training's fixture node ({@link TrainingNode}, a resource of the jar) is the one
 * this test's fixture writer makes, and unpacks to the same tree. After a change to the node or
 * to FakeProc, {@code -Dorphanreaper.regenerate=true} writes the resource anew.
 */
class TrainingNodeTest {

  static final Path RESOURCE =
      Path.of("src/main/resources/org/orphanreaper/cli", TrainingNode.RESOURCE);

  @TempDir Path tmp;

  @Test
  void theResourceIsTheNodeTheFixtureWriterMakes() throws IOException {
    String made = serialise(node(new FakeProc(tmp.resolve("made"))));
    if (Boolean.getBoolean("orphanreaper.regenerate")) {
      Files.writeString(RESOURCE, made, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(RESOURCE, StandardCharsets.UTF_8)).isEqualTo(made);
  }

  @Test
  void theResourceUnpacksToTheSameTree() throws IOException {
    Path unpacked = TrainingNode.writeTo(tmp.resolve("unpacked"));
    assertThat(serialise(unpacked)).isEqualTo(Files.readString(RESOURCE, StandardCharsets.UTF_8));
  }

  /** The inverse of TrainingNode's unescape. */
  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        .replace("\0", "\\0");
  }

  /** The tree as the resource's lines, in path order; a pid directory's owner from its status. */
  private static String serialise(Path root) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted().toList()) {
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          lines.add("link\t" + rel + "\t" + Files.readSymbolicLink(p));
        } else if (Files.isRegularFile(p)) {
          String text = Files.readString(p, StandardCharsets.UTF_8);
          lines.add("file\t" + rel + "\t" + escape(text));
          if (p.getFileName().toString().equals("status")) {
            String euid = text.lines().filter(l -> l.startsWith("Uid:")).findFirst()
                .orElseThrow().split("\t")[2];
            lines.add("owner\t" + root.relativize(p.getParent()) + "\t" + euid);
          }
        }
      }
    }
    return String.join("\n", lines) + "\n";
  }

  /**
   * init, a root daemon's family, and orphaned families of uids no passwd file has (so names
   * are asked of getent): one old enough for the default rules to kill, a tmux to report, a
   * young one, one with a setuid-root member (protected), a zombie and a long command line.
   */
  static Path node(FakeProc fp) {
    fp.proc(1).ppid(0).uid(0).comm("systemd").sid(1).write();
    fp.proc(2).ppid(0).uid(0).comm("kthreadd").kernelThread().sid(0).write();
    fp.proc(300).uid(0).comm("sshd").cmdline("sshd: /usr/sbin/sshd -D").write();
    fp.proc(301).ppid(300).sid(300).uid(0).comm("sshd").write();
    int uid = 2_000_000_100;
    fp.proc(4100).uid(uid).comm("python3").ageSeconds(7200).cpuSeconds(3600)
        .cmdline("python3 /home/u/worker.py --epochs 90").write();
    fp.proc(4101).ppid(4100).sid(4100).uid(uid).comm("sh").ageSeconds(7000).write();
    fp.proc(4102).ppid(4101).sid(4100).uid(uid).comm("defunct").state('Z').write();
    fp.proc(4103).ppid(4100).sid(4100).uid(uid).comm("java").cmdline("java -cp "
        + "x".repeat(6000) + " Main").write();
    fp.proc(4200).uid(uid + 1).comm("tmux: server").cmdline("tmux new -s work").write();
    fp.proc(4300).uid(uid + 2).comm("sleep").ageSeconds(60).write();
    fp.proc(4400).uid(uid + 3).comm("bash").ageSeconds(5000).write();
    fp.proc(4401).ppid(4400).sid(4400).uid(uid + 3).euid(0).comm("sudo").write();
    return fp.root();
  }
}
