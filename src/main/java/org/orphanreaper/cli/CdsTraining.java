package org.orphanreaper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.orphanreaper.act.Signaller;
import org.orphanreaper.act.Signallers;
import org.orphanreaper.nativestub.NativeStub;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.sink.syslog.EventLog;
import org.orphanreaper.sink.syslog.SyslogSettings;
import org.orphanreaper.sink.syslog.Syslog;

/**
 * The run the launchers make their class-data archive from ({@code -XX:ArchiveClassesAtExit}):
 * the archive holds the classes a run loaded, and a preview of the node the launcher happens to
 * run on first (often one with no orphans at all) leaves out everything that families, verdicts,
 * the listings and a getent need, which cron runs then load and verify from the jar (~150
 * classes, tens of milliseconds). So it previews a fixture node in a private temporary directory
 * instead, with orphaned families of every kind the default rules tell apart, in each output
 * form, and then binds what a kill run needs beyond them ({@link #killPath}). It reads the real
 * /proc only for its own credentials, signals nothing, sends nothing, and prints nothing.
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
      killPath(dir);
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
   * The native calls a kill run signals through and its local syslog socket (jnr-ffi, jffi and
   * their class generator: hundreds of classes a kill run otherwise loads from the jars), where
   * they can be had without acting: the signaller is bound as a kill run binds it (choosing
   * pidfd opens a pidfd of this process alone) and closed unused, and the syslog lines go to a
   * socket path in {@code dir} where nobody listens. Left out without the stub the launcher
   * extracted ({@code -Djffi.boot.library.path}): jffi would extract another into the temp
   * directory.
   */
  private static void killPath(Path dir) {
    NativeStub stub = NativeStub.ofThisJvm();
    if (stub.dir().isEmpty() || stub.problem().isPresent()) {
      return;
    }
    try (Signaller signaller = Signallers.forLiveSystem(dir)) {
      signaller.mechanism();
    } catch (RuntimeException e) {
      // Not bound: a kill run will say why; the archive goes without these classes.
    }
    SyslogSettings nobodyListens = new SyslogSettings(SyslogSettings.DEFAULT_FACILITY,
        SyslogSettings.DEFAULT_IDENT, dir.resolve("no-syslog"), Optional.empty());
    try (EventLog log = Syslog.open(nobodyListens)) {
      log.notice("killed family (class-data training)");
      log.error("survivor (class-data training)");
      log.deliveryProblem();
    }
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
