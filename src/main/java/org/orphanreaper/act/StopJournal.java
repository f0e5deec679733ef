package org.orphanreaper.act;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orphanreaper.base.ProcId;
import org.orphanreaper.base.Signal;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.Proc;

/**
 * What a kill is about to stop or pen, written before the SIGSTOP or the move, next to the run
 * lock. A reaper that dies without running its shutdown hook (SIGKILL, the OOM killer, a power
 * cut of the JVM) leaves the file behind, and the next run, whatever its rules say, first
 * resumes what is still stopped or penned (identity-checked: same pid and start time) and says
 * so. A run that ends normally removes the file.
 *
 * <p>One line per fact, fields separated by spaces, paths percent-encoded: {@code pen
 * HIERARCHY MOUNT DIR}, {@code move PID START PEN-DIR ORIGIN}, {@code stop PID START}.
 */
public final class StopJournal implements AutoCloseable {

  private final Path file;
  private final FileChannel channel; // null: a journal that records nothing (tests, --proc)
  private final Optional<IOException> unwritable;
  private boolean failed;

  private StopJournal(Path file, FileChannel channel, Optional<IOException> unwritable) {
    this.file = file;
    this.channel = channel;
    this.unwritable = unwritable;
  }

  /** A journal that records nothing, for kills whose processes cannot outlive the caller. */
  public static StopJournal none() {
    return new StopJournal(null, null, Optional.empty());
  }

  /**
   * A journal that could not be created: every record fails with {@code why}, so that every
   * kill is called off before it stops anything.
   */
  public static StopJournal unwritable(Path file, IOException why) {
    return new StopJournal(file, null, Optional.of(why));
  }

  /** Starts a fresh journal at {@code file} (after {@link #recover} has read the old one). */
  public static StopJournal create(Path file) throws IOException {
    FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
    return new StopJournal(file, c, Optional.empty());
  }

  /** The journal beside the run lock {@code lock}: x.lock gives x.journal. */
  public static Path besideLock(Path lock) {
    String name = lock.getFileName().toString();
    String base = name.endsWith(".lock") ? name.substring(0, name.length() - 5) : name;
    return lock.resolveSibling(base + ".journal");
  }

  /** The line that records {@code pen} before anything is moved into it. */
  static String penLine(Pen pen) {
    return "pen " + pen.hierarchy().name() + " " + encode(pen.mount().toString()) + " "
        + encode(pen.dir().toString());
  }

  /** The line that records {@code id}'s move into {@code pen} from {@code origin}. */
  static String moveLine(ProcId id, Pen pen, String origin) {
    return "move " + id.pid() + " " + id.startTicks() + " " + encode(pen.dir().toString()) + " "
        + encode(origin);
  }

  /** The line that records a SIGSTOP to {@code id}. */
  static String stopLine(ProcId id) {
    return "stop " + id.pid() + " " + id.startTicks();
  }

  /**
   * Writes {@code lines} and forces them to disk, all at once: the kills of one pass record
   * everything they are about to stop or move with one fsync, then act.
   */
  void write(List<String> lines) throws IOException {
    append(lines);
  }

  private synchronized void append(List<String> lines) throws IOException {
    if (unwritable.isPresent()) {
      failed = true;
      // (a file system error's message names the file already)
      throw new IOException(unwritable.get().getMessage(), unwritable.get());
    }
    if (channel == null || lines.isEmpty()) {
      return;
    }
    ByteBuffer b = ByteBuffer.wrap((String.join("\n", lines) + "\n")
        .getBytes(StandardCharsets.UTF_8));
    try {
      while (b.hasRemaining()) {
        channel.write(b);
      }
      // Before the signal: a line the kernel has not kept is one the next run cannot read.
      channel.force(false);
    } catch (IOException e) {
      failed = true;
      throw e;
    }
  }

  /** Whether a record could not be written, so that a kill was called off for it. */
  public synchronized boolean failed() {
    return failed;
  }

  /** Removes the journal: nothing this run did is left stopped or penned. */
  @Override
  public synchronized void close() throws IOException {
    if (channel != null) {
      channel.close();
      Files.deleteIfExists(file);
    }
  }

  /** What {@link #recover} did. */
  public record Recovery(int resumed, int released, List<String> problems) {
    public boolean anything() {
      return resumed > 0 || released > 0 || !problems.isEmpty();
    }
  }

  /**
   * Resumes what the run that left {@code file} stopped or penned, then removes the file. A
   * process counts only while its pid and start time are those recorded; a process born in a
   * pen (no origin recorded) goes to the hierarchy's root cgroup.
   */
  public static Optional<Recovery> recover(Path file, ProcFs procfs, Signaller signaller) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(new Recovery(0, 0,
          List.of("cannot read the journal " + file + ": " + e.getMessage())));
    }
    Map<String, Pen> pens = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    int released = 0;
    int resumed = 0;
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f[0].equals("pen") && f.length == 4) {
        pens.put(decode(f[3]), new Pen(Pen.Hierarchy.valueOf(f[1]), Path.of(decode(f[2])),
            Path.of(decode(f[3]))));
      }
    }
    for (String line : lines) {
      String[] f = line.split(" ");
      try {
        if (f[0].equals("move") && f.length == 5) {
          Pen pen = pens.get(decode(f[3]));
          ProcId id = new ProcId(Integer.parseInt(f[1]), Long.parseLong(f[2]));
          if (pen != null && same(procfs, id)
              && pen.cgroupOf(procfs.root(), id.pid()).map(pen.cgroupPath()::equals)
                  .orElse(false)
              && pen.moveTo(decode(f[4]), id.pid())) {
            released++;
          }
        } else if (f[0].equals("stop") && f.length == 3) {
          ProcId id = new ProcId(Integer.parseInt(f[1]), Long.parseLong(f[2]));
          Optional<Proc> now = procfs.stat(id.pid());
          if (now.isPresent() && now.get().startTicks() == id.startTicks()
              && now.get().state() == 'T'
              && signaller.send(id, Signal.CONT) == Signaller.Outcome.SENT) {
            resumed++;
          }
        }
      } catch (IOException | RuntimeException e) {
        problems.add("journal line \"" + line + "\": " + e.getMessage());
      }
    }
    for (Pen pen : pens.values()) {
      try {
        if (Files.isDirectory(pen.dir())) {
          for (int pid : pen.pids()) {
            if (pen.moveTo("/", pid)) {
              released++;
            }
          }
          pen.thaw();
          if (!pen.remove()) {
            problems.add("cannot remove " + pen.dir());
          }
          try {
            Files.deleteIfExists(pen.dir().getParent()); // the top-level pens' directory
          } catch (IOException e) {
            // another run's pens are in it, or it is a delegated unit's own cgroup
          }
        }
      } catch (IOException e) {
        problems.add("cannot empty " + pen.dir() + ": " + e.getMessage());
      }
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      problems.add("cannot remove the journal " + file + ": " + e.getMessage());
    }
    return Optional.of(new Recovery(resumed, released, problems));
  }

  private static boolean same(ProcFs procfs, ProcId id) {
    return procfs.stat(id.pid()).map(s -> s.startTicks() == id.startTicks()).orElse(false);
  }

  /** Percent-encodes what would split a line or a field, and every byte outside ASCII. */
  static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      if (c <= ' ' || c == '%' || c == 0x7f) {
        b.append('%').append(String.format("%02x", c & 0xff));
      } else {
        b.append((char) (c & 0xff));
      }
    }
    return b.toString();
  }

  static String decode(String s) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '%' && i + 2 < in.length) {
        out.write(Integer.parseInt(new String(in, i + 1, 2, StandardCharsets.US_ASCII), 16));
        i += 2;
      } else {
        out.write(in[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
