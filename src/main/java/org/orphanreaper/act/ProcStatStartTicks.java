package org.orphanreaper.act;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.IntFunction;

/** Reads a process's current start time (field 22 of {@code <procRoot>/<pid>/stat}). */
public final class ProcStatStartTicks implements IntFunction<OptionalLong> {

  // starttime is field 22 of stat; the fields after comm's closing ')' start with field 3.
  private static final int START_TIME_AFTER_COMM = 22 - 3;

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
   * The starttime field of one stat line. comm may hold spaces and ')', so fields are counted after
   * the last ')'.
   */
  static long parse(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("no ')' in stat line: " + stat);
    }
    String[] fields = stat.substring(close + 1).trim().split(" ");
    if (fields.length <= START_TIME_AFTER_COMM) {
      throw new IllegalArgumentException("stat line too short: " + stat);
    }
    try {
      return Long.parseLong(fields[START_TIME_AFTER_COMM]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad starttime in stat line: " + stat, e);
    }
  }
}
