package org.orphanreaper.act;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a run pens the families it kills: a cgroup v2 hierarchy, cgroup v1's freezer, or none
 * (SIGSTOP passes alone, as in a container that cannot write its cgroups). Found from the
 * reaper's own mount table, so a private mount of either hierarchy (a test's, a container's)
 * counts as the node's.
 */
public final class Containment {

  /** What --containment asks for. */
  public enum Mode {
    /** cgroup v2 where it is mounted and writable, else the v1 freezer, else signals alone. */
    AUTO,
    CGROUP2,
    FREEZER,
    /** SIGSTOP passes only: nothing is written to any cgroup. */
    SIGNALS;

    /** Parses a --containment value; empty for an unknown one. */
    public static Optional<Mode> parse(String s) {
      for (Mode m : values()) {
        if (m.name().toLowerCase(Locale.ROOT).equals(s)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }
  }

  /** A pen, or why none could be made (the kill then runs on signals alone). */
  public sealed interface Opened permits Opened.Penned, Opened.Unpenned {
    record Penned(Pen pen) implements Opened {}

    record Unpenned(String why) implements Opened {}
  }

  /** The directory below which a unit started by systemd with Delegate=yes may make cgroups. */
  static final String SERVICE = "orphan-reaper.service";
  /**
   * The top-level directory of the pens. The tests give each scenario a name of its own
   * (orphanreaper.cgroup.base), so that they find exactly the pens their runs made on a host
   * where other runs make pens at the same time.
   */
  private final String base =
      System.getProperty("orphanreaper.cgroup.base", "orphan-reaper").replace('/', '-');

  private final Mode mode;
  private final Path procRoot;
  private final Optional<Path> cgroup2;
  private final Optional<Path> freezer;
  private final String runTag;
  private final AtomicInteger sequence = new AtomicInteger();
  /** The pens this run made and has not removed yet; none is made once the run closes. */
  private final java.util.Map<String, Pen> open = new java.util.LinkedHashMap<>();
  private boolean closed;

  Containment(Mode mode, Path procRoot, Optional<Path> cgroup2, Optional<Path> freezer) {
    this.mode = mode;
    this.procRoot = procRoot;
    this.cgroup2 = cgroup2;
    this.freezer = freezer;
    this.runTag = ProcessHandle.current().pid() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
  }

  /** No cgroups: the kill runs on SIGSTOP passes alone (tests of that path, --proc fakes). */
  public static Containment signalsOnly() {
    return new Containment(Mode.SIGNALS, Path.of("/proc"), Optional.empty(), Optional.empty());
  }

  /** The containment this node offers for {@code mode}, from /proc/self's mounts and cgroups. */
  public static Containment of(Mode mode, Path procRoot) {
    if (mode == Mode.SIGNALS) {
      return signalsOnly();
    }
    Optional<Path> v2 = Optional.empty();
    Optional<Path> v1 = Optional.empty();
    try {
      for (String line : Files.readAllLines(procRoot.resolve("self/mountinfo"),
          StandardCharsets.UTF_8)) {
        MountLine m = MountLine.parse(line);
        if (m == null || !m.root().equals("/")) {
          continue; // a bind mount of a subtree cannot hold the pens' base
        }
        if (m.type().equals("cgroup2") && v2.isEmpty()) {
          v2 = Optional.of(m.mountPoint());
        } else if (m.type().equals("cgroup") && v1.isEmpty()
            && List.of(m.superOptions().split(",")).contains("freezer")) {
          v1 = Optional.of(m.mountPoint());
        }
      }
    } catch (IOException e) {
      // no mount table: no pens; the kill runs on signals alone and says why
    }
    return new Containment(mode, procRoot, v2, v1);
  }

  public Mode mode() {
    return mode;
  }

  /** Where the cgroup v2 hierarchy is mounted, as the mount table says. */
  Optional<Path> cgroup2() {
    return cgroup2;
  }

  /** Where cgroup v1's freezer is mounted, as the mount table says. */
  Optional<Path> freezer() {
    return freezer;
  }

  /**
   * Makes a frozen, empty pen for one family. In AUTO mode cgroup v2 is tried first, then the v1
   * freezer; a failure names every hierarchy tried.
   */
  public Opened open() {
    List<String> why = new ArrayList<>();
    if (mode == Mode.SIGNALS) {
      return new Opened.Unpenned("cgroups not used (--containment signals)");
    }
    String name = "kill-" + runTag + "-" + sequence.incrementAndGet();
    synchronized (this) {
      if (closed) {
        return new Opened.Unpenned("the run is ending");
      }
    }
    // cgroup v2 first: one write kills the whole pen; the v1 freezer where v2 is not writable
    List<Pen.Hierarchy> tried = switch (mode) {
      case CGROUP2 -> List.of(Pen.Hierarchy.CGROUP2);
      case FREEZER -> List.of(Pen.Hierarchy.FREEZER);
      default -> List.of(Pen.Hierarchy.CGROUP2, Pen.Hierarchy.FREEZER);
    };
    for (Pen.Hierarchy h : tried) {
      Optional<Path> mount = h == Pen.Hierarchy.CGROUP2 ? cgroup2 : freezer;
      if (mount.isEmpty()) {
        why.add(h == Pen.Hierarchy.CGROUP2 ? "no cgroup2 file system is mounted"
            : "no cgroup v1 freezer is mounted");
        continue;
      }
      Optional<Pen> p = make(h, mount.get(), name, why);
      if (p.isPresent()) {
        return new Opened.Penned(p.get());
      }
    }
    return new Opened.Unpenned(String.join("; ", why));
  }

  private Optional<Pen> make(Pen.Hierarchy h, Path mount, String name, List<String> why) {
    Path base = base(h, mount);
    Pen pen = new Pen(h, mount, base.resolve(name));
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          Files.createDirectories(base);
          Files.createDirectory(pen.dir());
          break;
        } catch (java.nio.file.NoSuchFileException e) {
          if (attempt == 2) {
            throw e;
          }
          // another run (another --lock) removed the empty top-level directory in between
        }
      }
      if (h == Pen.Hierarchy.CGROUP2 && !Files.exists(pen.dir().resolve("cgroup.freeze"))) {
        pen.remove();
        why.add("cgroup2 has no cgroup.freeze (Linux before 5.2)");
        return Optional.empty();
      }
      pen.freeze();
      synchronized (this) {
        open.put(key(pen.hierarchy(), pen.cgroupPath()), pen);
      }
      return Optional.of(pen);
    } catch (IOException | RuntimeException e) {
      pen.remove();
      why.add("cannot make a " + h.label() + " cgroup below " + base + ": " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Where pens go: below the reaper's own cgroup when systemd started it as orphan-reaper.service
   * (Delegate=yes gives the unit that subtree), else in a directory of their own at the top.
   */
  Path base(Pen.Hierarchy h, Path mount) {
    if (h == Pen.Hierarchy.CGROUP2) {
      Optional<String> own = Pen.cgroupOf(h, procRoot, (int) ProcessHandle.current().pid());
      if (own.isPresent() && own.get().endsWith("/" + SERVICE)) {
        return mount.resolve(own.get().substring(1));
      }
    }
    return mount.resolve(base);
  }

  /** A pen its kill removed. */
  synchronized void removed(Pen pen) {
    open.remove(key(pen.hierarchy(), pen.cgroupPath()));
  }

  /** Whether {@code cgroup} (as /proc/PID/cgroup names it in {@code h}) is a pen of this run. */
  synchronized boolean isPen(Pen.Hierarchy h, String cgroup) {
    return open.containsKey(key(h, cgroup)); // (asked per process per family: no scan of pens)
  }

  private static String key(Pen.Hierarchy h, String cgroup) {
    return h.name() + ":" + cgroup;
  }


  /**
   * Ends the run's use of cgroups: no pen is made any more; a pen of this run still there (its
   * kill was called off while it was being made) is thawed and removed when empty, and so is the
   * top-level pens' directory (a delegated unit's own cgroup is systemd's to remove).
   */
  public void close() {
    List<Pen> left;
    synchronized (this) {
      closed = true;
      left = new ArrayList<>(open.values());
      open.clear();
    }
    for (Pen pen : left) {
      try {
        pen.thaw();
      } catch (IOException e) {
        // gone already
      }
      pen.remove();
    }
    for (Optional<Path> mount : List.of(cgroup2, freezer)) {
      mount.ifPresent(m -> {
        try {
          Files.deleteIfExists(m.resolve(base));
        } catch (IOException e) {
          // another run's pen is still in it, or it was never made
        }
      });
    }
  }

  /** The fields of one /proc/self/mountinfo line that say what a cgroup mount is. */
  private record MountLine(String root, Path mountPoint, String type, String superOptions) {
    static MountLine parse(String line) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      if (f.length < 5 || dash < 0 || dash + 3 >= f.length) {
        return null;
      }
      return new MountLine(unescape(f[3]), Path.of(unescape(f[4])), f[dash + 1], f[dash + 3]);
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    private static String unescape(String s) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
          i += 3;
        } else {
          b.append(c);
        }
      }
      return b.toString();
    }
  }
}
