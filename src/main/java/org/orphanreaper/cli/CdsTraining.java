package org.orphanreaper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.orphanreaper.proc.FakeProc;

/**
 * The run the launchers make their class-data archive from ({@code -XX:ArchiveClassesAtExit}):
 * the archive holds the classes a run loaded, and a preview of the node the launcher happens to
 * run on first (often one with no orphans at all) leaves out everything that families, verdicts,
 * the listings and a getent need, which cron runs then load and verify from the jar (~150
 * classes, tens of milliseconds). So it previews a fixture node in a private temporary directory
 * instead, with orphaned families of every kind the default rules tell apart, in each output
 * form. It reads the real /proc only for its own credentials, signals nothing, and prints
 * nothing.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("orphan-reaper-cds-");
    try {
      String proc = node(new FakeProc(dir)).toString();
      PrintWriter sink = new PrintWriter(Writer.nullWriter());
      Main.run(sink, sink, "--debug", "--json", "--timings", "--proc", proc);
      Main.run(sink, sink, "--debug", "--verbose", "--proc", proc);
      Main.run(sink, sink, "--explain", "4100", "--proc", proc);
      Main.run(sink, sink, "--explain", "4100", "--json", "--proc", proc);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    System.exit(ExitCode.OK);
  }

  /**
   * init, a root daemon's family, and orphaned families of uids no passwd file has (so names
   * are asked of getent): one old enough for the default rules to kill, a tmux to report, a
   * young one, one with a setuid-root member (protected), a zombie and a long command line.
   */
  private static Path node(FakeProc fp) {
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
