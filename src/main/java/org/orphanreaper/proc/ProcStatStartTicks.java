package org.orphanreaper.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import org.orphanreaper.proc.Proc;

/** Reads a process's current start time (field 22 of {@code <procRoot>/<pid>/stat}). */
public final class ProcStatStartTicks implements IntFunction<OptionalLong> {

  private final Path procRoot;

  /** Reads below {@code procRoot}, normally {@code /proc}; tests point it at a fake tree. */
  public ProcStatStartTicks(Path procRoot) {
    this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
  }

  /**
   * The start time in clock ticks since boot, or empty if no process has {@code pid}. A zombie
   * still has its start time.
   *
   * @throws UncheckedIOException if the file exists but cannot be read
   * @throws IllegalArgumentException if the file is not a stat line
   */
  @Override
  public OptionalLong apply(int pid) {
    if (pid <= 0) {
      return OptionalLong.empty();
    }
    Path dir = procRoot.resolve(Integer.toString(pid));
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve("stat"));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException e) {
      // A process reaped between open and read makes the read fail with ESRCH; its directory is
      // gone by then. Any other failure is not evidence that the process is gone.
      if (Files.notExists(dir)) {
        return OptionalLong.empty();
      }
      throw new UncheckedIOException(e);
    }
    return OptionalLong.of(parse(new String(bytes, StandardCharsets.ISO_8859_1)));
  }

  /**
   * The starttime field of one stat line, by the one stat parser ({@link Proc#parse}); a line
   * it cannot take is not evidence that the process is gone.
   *
   * @throws IllegalArgumentException if the line is not a stat line
   */
  static long parse(String stat) {
    return Proc.parse(stat).orElseThrow(
        () -> new IllegalArgumentException("not a stat line: " + stat)).startTicks();
  }
}
