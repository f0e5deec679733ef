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
import org.orphanreaper.sink.syslog.EventLog;
import org.orphanreaper.sink.syslog.SyslogSettings;
import org.orphanreaper.sink.syslog.Syslog;

/**
 * The run the launchers make their class-data archive from ({@code -XX:ArchiveClassesAtExit}):
 * the archive holds the classes a run loaded, and a preview of the node the launcher happens to
 * run on first (often one with no orphans at all) leaves out everything that families, verdicts,
 * the listings and a getent need, which cron runs then load and verify from the jar (~150
 * classes, tens of milliseconds). So it previews a fixture node in a private temporary directory
 * instead ({@link TrainingNode}), with orphaned families of every kind the default rules tell
 * apart, in each output form, and then binds what a kill run needs beyond them ({@link
 * #killPath}). It reads the real /proc only for its own credentials, signals nothing, sends
 * nothing, and prints nothing.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("orphan-reaper-cds-");
    try {
      String proc = TrainingNode.writeTo(dir.resolve("proc")).toString();
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
}
