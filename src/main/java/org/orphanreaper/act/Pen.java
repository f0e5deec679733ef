package org.orphanreaper.act;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cgroup of the reaper's own that holds one family while it is killed. The kernel keeps every
 * child a penned process forks inside the pen, whatever session it makes, and freezes the pen as
 * a whole: a frozen pen cannot grow, exec or change credentials, so what is read in it before
 * the kill is what the kill hits. On cgroup v2 the pen is frozen with {@code cgroup.freeze} and
 * killed with {@code cgroup.kill} (one SIGKILL to everything inside, atomically); on cgroup v1 it
 * is a freezer cgroup, killed by SIGKILL to each frozen process and then thawed, so that no
 * process runs between the signal and its delivery.
 */
public final class Pen {

  /** Which cgroup hierarchy a pen lives in. */
  public enum Hierarchy {
    /** The unified hierarchy: cgroup.freeze, cgroup.events and, from Linux 5.14, cgroup.kill. */
    CGROUP2("cgroup2"),
    /** cgroup v1's freezer controller: freezer.state. */
    FREEZER("freezer");

    private final String label;

    Hierarchy(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final Hierarchy hierarchy;
  private final Path mount;
  private final Path dir;

  Pen(Hierarchy hierarchy, Path mount, Path dir) {
    this.hierarchy = hierarchy;
    this.mount = mount;
    this.dir = dir;
  }

  public Hierarchy hierarchy() {
    return hierarchy;
  }

  /** Where the pen's hierarchy is mounted. */
  public Path mount() {
    return mount;
  }

  /** The pen's directory in the cgroup file system. */
  public Path dir() {
    return dir;
  }

  /** The pen's path as /proc/PID/cgroup names it (relative to the hierarchy's root). */
  public String cgroupPath() {
    return "/" + mount.relativize(dir);
  }

  /** The cgroup directory of {@code path} (as /proc/PID/cgroup names it) in this hierarchy. */
  Path directoryOf(String path) {
    return mount.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
  }

  /** Freezes the pen: processes moved in later are frozen on arrival. */
  void freeze() throws IOException {
    write(hierarchy == Hierarchy.CGROUP2 ? "cgroup.freeze" : "freezer.state",
        hierarchy == Hierarchy.CGROUP2 ? "1" : "FROZEN");
  }

  /** Lets the pen's processes run again. */
  void thaw() throws IOException {
    write(hierarchy == Hierarchy.CGROUP2 ? "cgroup.freeze" : "freezer.state",
        hierarchy == Hierarchy.CGROUP2 ? "0" : "THAWED");
  }

  /** Whether every process in the pen is frozen. */
  boolean frozen() throws IOException {
    if (hierarchy == Hierarchy.CGROUP2) {
      return read("cgroup.events").lines().anyMatch("frozen 1"::equals);
    }
    return read("freezer.state").strip().equals("FROZEN");
  }

  /**
   * Moves the whole thread group {@code pid} into the pen. False when no process has that pid
   * any more.
   */
  boolean admit(int pid) throws IOException {
    return move(dir, pid);
  }

  /** Moves {@code pid} to the cgroup {@code path} of this hierarchy (back where it came from). */
  boolean moveTo(String path, int pid) throws IOException {
    return move(directoryOf(path), pid);
  }

  private static boolean move(Path cgroup, int pid) throws IOException {
    try {
      Files.writeString(cgroup.resolve("cgroup.procs"), Integer.toString(pid),
          StandardCharsets.US_ASCII);
      return true;
    } catch (IOException e) {
      // ESRCH: the process is gone (Java reports it as "No such process")
      if (String.valueOf(e.getMessage()).contains("No such process")) {
        return false;
      }
      throw e;
    }
  }

  /** The processes (thread-group ids) in the pen now. */
  List<Integer> pids() throws IOException {
    List<Integer> pids = new ArrayList<>();
    for (String line : read("cgroup.procs").split("\n")) {
      if (!line.isBlank()) {
        pids.add(Integer.parseInt(line.strip()));
      }
    }
    return pids;
  }

  /** Whether any process is left in the pen (zombies are not: they left their cgroup). */
  boolean populated() throws IOException {
    if (hierarchy == Hierarchy.CGROUP2) {
      return read("cgroup.events").lines().anyMatch("populated 1"::equals);
    }
    return !pids().isEmpty();
  }

  /**
   * SIGKILL to everything in the pen through {@code cgroup.kill} where the kernel has it (Linux
   * 5.14); false when the caller must signal each frozen process itself.
   */
  boolean killAtOnce() throws IOException {
    if (hierarchy != Hierarchy.CGROUP2 || !Files.exists(dir.resolve("cgroup.kill"))) {
      return false;
    }
    write("cgroup.kill", "1");
    return true;
  }

  /** Removes the pen's directory; false when processes are still in it. */
  boolean remove() {
    try {
      Files.deleteIfExists(dir);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The path of the cgroup {@code pid} is in in this hierarchy, as /proc/PID/cgroup gives it.
   */
  Optional<String> cgroupOf(Path procRoot, int pid) {
    return cgroupOf(hierarchy, procRoot, pid);
  }

  static Optional<String> cgroupOf(Hierarchy hierarchy, Path procRoot, int pid) {
    String text;
    try {
      text = Files.readString(procRoot.resolve(Integer.toString(pid)).resolve("cgroup"),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty();
    }
    for (String line : text.split("\n")) {
      int first = line.indexOf(':');
      int second = line.indexOf(':', first + 1);
      if (first < 0 || second < 0) {
        continue;
      }
      String controllers = line.substring(first + 1, second);
      boolean match = hierarchy == Hierarchy.CGROUP2
          ? line.startsWith("0::")
          : List.of(controllers.split(",")).contains("freezer");
      if (match) {
        return Optional.of(line.substring(second + 1));
      }
    }
    return Optional.empty();
  }

  private String read(String file) throws IOException {
    try {
      return Files.readString(dir.resolve(file), StandardCharsets.US_ASCII);
    } catch (NoSuchFileException e) {
      throw new IOException("the pen " + dir + " is gone", e);
    }
  }

  private void write(String file, String value) throws IOException {
    Files.writeString(dir.resolve(file), value, StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return hierarchy.label() + " " + dir;
  }
}
