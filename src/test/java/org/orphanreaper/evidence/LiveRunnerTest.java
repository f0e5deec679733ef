package org.orphanreaper.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real runner on real scripts standing in for a batch system's commands that hang: no call
 * takes longer than it was given, and what a killed command started dies with it.
 */
class LiveRunnerTest {

  @TempDir Path dir;

  /**
   * Ends the background sleeps the scripts started (each wrote its pid to a file here), should
   * one remain: only a process that still runs sleep, so never one that took a freed pid.
   */
  @AfterEach
  void endWhatTheScriptsStarted() throws Exception {
    try (var files = Files.newDirectoryStream(dir, "*.pid")) {
      for (Path f : files) {
        ProcessHandle.of(Long.parseLong(Files.readString(f).strip()))
            .filter(h -> h.info().command().orElse("").endsWith("/sleep"))
            .ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /** An executable shell script {@code dir/name} holding {@code body}. */
  private Path script(String name, String body) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    return p;
  }

  /** The process whose pid the script wrote to {@code file}. */
  private static long startedBy(Path file) throws Exception {
    return Long.parseLong(Files.readString(file).strip());
  }

  /** Whether {@code pid} is gone: no such process, or a zombie its new parent has not reaped. */
  private static boolean gone(long pid) throws Exception {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    for (int i = 0; i < 100; i++) {
      try {
        String s = Files.readString(stat);
        if (s.charAt(s.lastIndexOf(')') + 2) == 'Z') {
          return true;
        }
      } catch (java.nio.file.NoSuchFileException e) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /**
   * A hung scontrol may have children of its own (a site's wrapper script, a helper it forked):
   * the time limit kills them too, not only the command, or they would hold its output open and
   * live on as root's strays.
   */
  @Test
  void aCommandKilledAtItsTimeLimitTakesItsChildrenWithIt() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    Path hung = script("scontrol", "sleep 300 &\necho $! > " + pidFile + "\nwait\n");
    assertThatThrownBy(() -> CommandRunner.LIVE.run(List.of(hung.toString(), "listpids"),
        Duration.ofSeconds(1)))
        .isInstanceOf(EvidenceUnavailable.class)
        .hasMessage(hung + " listpids did not answer within 1s");
    assertThat(gone(startedBy(pidFile))).as("the hung command's child was killed").isTrue();
  }

  /**
   * A command that exits but leaves a process holding its output (here while the call is
   * reading it: a read that is not under way yet when the command exits gets what was printed
   * at once): the call still ends at its time limit, and gives no answer, since what it read
   * may lack what that process was to print.
   */
  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void anOutputHeldOpenAfterTheCommandExitedEndsTheCallAtItsTimeLimit() throws Exception {
    Path leaky = script("squeue", "sleep 300 &\necho $! > " + dir.resolve("child.pid")
        + "\necho 13\\|RUNNING\nsleep 1\n");
    assertThatThrownBy(() -> CommandRunner.LIVE.run(List.of(leaky.toString(), "--jobs=13"),
        Duration.ofSeconds(3)))
        .isInstanceOf(EvidenceUnavailable.class)
        .hasMessage(leaky + " exited but its output was not closed within 3s");
  }

  @Test
  void aCommandThatAnswersInTimeGivesItsOutput() throws Exception {
    Path ok = script("squeue", "echo 13\\|COMPLETED\necho oops >&2\nexit 3\n");
    assertThat(CommandRunner.LIVE.run(List.of(ok.toString()), Duration.ofSeconds(20)))
        .isEqualTo(new CommandRunner.Result(3, "13|COMPLETED\n", "oops\n"));
  }
}
