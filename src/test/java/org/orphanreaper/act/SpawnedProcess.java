package org.orphanreaper.act;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.orphanreaper.base.ProcId;
import org.orphanreaper.proc.ProcStatStartTicks;

/**
 * A child process this test started, the only kind a test may signal; closing it kills and reaps
 * it.
 */
public final class SpawnedProcess implements AutoCloseable {

  static final Path PROC = Path.of("/proc");

  /** This JVM's pidfd syscall numbers; the calling test is skipped on an architecture without. */
  static PidfdSyscalls thisArch() {
    Optional<PidfdSyscalls> numbers = PidfdSyscalls.ofThisJvm();
    Assumptions.assumeTrue(numbers.isPresent(),
        "no pidfd syscall table for os.arch " + System.getProperty("os.arch"));
    return numbers.get();
  }

  private final Process process;

  private SpawnedProcess(Process process) {
    this.process = process;
  }

  static SpawnedProcess start(String... command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(List.of(command));
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    return new SpawnedProcess(builder.start());
  }

  /** A {@code sleep 600}: long enough to outlive any test. */
  public static SpawnedProcess sleeper() throws IOException {
    return start("sleep", "600");
  }

  public Process process() {
    return process;
  }

  public int pid() {
    return Math.toIntExact(process.pid());
  }

  /** Its identity as a scan would have recorded it. */
  ProcId id() {
    return idOf(pid());
  }

  static ProcId idOf(int pid) {
    return new ProcId(
        pid,
        new ProcStatStartTicks(PROC)
            .apply(pid)
            .orElseThrow(() -> new AssertionError("no process " + pid)));
  }

  /** The state letter of stat field 3 (R, S, T, Z...), or '?' when the process is gone. */
  static char stateOf(int pid) {
    try {
      String stat =
          new String(Files.readAllBytes(PROC.resolve(pid + "/stat")), StandardCharsets.ISO_8859_1);
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (NoSuchFileException e) {
      return '?';
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Polls {@link #stateOf} until it is {@code state}; returns the last state seen. */
  static char awaitState(int pid, char state, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    char seen = stateOf(pid);
    while (seen != state && System.nanoTime() < deadline) {
      Thread.sleep(10);
      seen = stateOf(pid);
    }
    return seen;
  }

  /** Kills and reaps it, so that its pid is free. */
  void killAndReap() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("child " + pid() + " did not die");
    }
  }

  @Override
  public void close() throws InterruptedException {
    killAndReap();
  }
}
