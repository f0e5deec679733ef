package org.orphanreaper.proc;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The one reader of a procfs. The scan reads only {@code stat} for every process; status, cmdline,
 * exe and cgroup are read later and only for candidates, because they cost more and cmdline can block.
 * A process that vanishes mid-scan is skipped silently.
 */
public final class ProcFs {

  /** Commands longer than this are truncated: some are megabytes long (NHC #52 hung on them). */
  static final int CMDLINE_LIMIT = 4096;

  private final Path root;
  private final String rootPrefix;
  private final CmdlineReader cmdlines;
  private final byte[] buf = new byte[4096];

  public ProcFs(Path root) {
    this.root = root;
    this.rootPrefix = root.toString() + File.separator;
    this.cmdlines = new CmdlineReader(CMDLINE_LIMIT);
  }

  public Path root() {
    return root;
  }

  /** Reads every process's stat plus the clock facts; fails only when procfs itself is unusable. */
  public Snapshot scan() throws ProcUnreadableException {
    Instant boot = bootTime();
    long uptime = uptimeTicks();
    String[] names = root.toFile().list();
    if (names == null) {
      throw new ProcUnreadableException("cannot list " + root);
    }
    Map<Integer, ProcStat> processes = new HashMap<>(names.length * 2);
    for (String name : names) {
      int pid = pidOf(name);
      if (pid > 0) {
        stat(pid).ifPresent(p -> processes.put(p.pid(), p));
      }
    }
    if (processes.isEmpty()) {
      throw new ProcUnreadableException(root + " lists no processes; is it a procfs?");
    }
    return new Snapshot(
        root, KernelUnits.INSTANCE.perSecond(), KernelUnits.INSTANCE.pageSize(), boot, uptime, selfPid(), processes, Map.of(),
        Set.of());
  }

  /** The current stat of one pid; empty when it is gone or unreadable. */
  public Optional<ProcStat> stat(int pid) {
    int n = read(rootPrefix + pid + "/stat", buf, buf.length);
    return n <= 0 ? Optional.empty() : ProcStat.parse(buf, n);
  }

  /** The current start time of one pid, for identity checks right before a signal. */
  public OptionalLong startTicks(int pid) {
    Optional<ProcStat> s = stat(pid);
    return s.isPresent() ? OptionalLong.of(s.get().startTicks()) : OptionalLong.empty();
  }

  /**
   * Reads status, cmdline, exe and cgroup of the given processes into {@code snapshot}. A process whose
   * stat is gone, or whose start time changed (pid reused), is recorded as vanished.
   */
  public Snapshot describe(Snapshot snapshot, Collection<Integer> pids) {
    Map<Integer, ProcDetails> details = new HashMap<>();
    Set<Integer> gone = new HashSet<>();
    for (int pid : pids) {
      ProcStat seen = snapshot.processes().get(pid);
      if (seen == null || snapshot.details().containsKey(pid)) {
        continue;
      }
      Optional<Credentials> creds = readText(pid, "status").flatMap(Credentials::parse);
      String cmdline = seen.zombie() || seen.kernelThread() ? "" : cmdlines.read(dir(pid));
      Optional<String> exe = exe(pid);
      Optional<List<String>> cgroups = readText(pid, "cgroup").map(ProcDetails::cgroupPaths);
      OptionalLong now = startTicks(pid);
      if (now.isEmpty() || now.getAsLong() != seen.startTicks()) {
        gone.add(pid);
      } else {
        details.put(pid, new ProcDetails(creds, cmdline, exe, cgroups));
      }
    }
    return snapshot.withDetails(details, gone);
  }

  /**
   * How many processes run as a uid at or above {@code minUid}: by their credentials where they
   * were read, else by the owner of their /proc directory (one stat, no file read).
   */
  public int userProcesses(Snapshot s, int minUid) {
    int n = 0;
    for (ProcStat p : s.processes().values()) {
      if (p.kernelThread()) {
        continue;
      }
      long uid = s.detailsOf(p.pid()).flatMap(ProcDetails::credentials)
          .map(c -> (long) c.ruid() & 0xFFFFFFFFL).orElseGet(() -> owner(p.pid()));
      if (uid >= minUid) {
        n++;
      }
    }
    return n;
  }

  private long owner(int pid) {
    try {
      return ((Integer) Files.getAttribute(dir(pid), "unix:uid")) & 0xFFFFFFFFL;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return 0; // gone or unknown: not counted as a user process
    }
  }

  /** The node's name, from the kernel (no DNS look-up, which can hang a cron run). */
  public String hostname() {
    return readText("sys/kernel", "hostname").map(String::trim).filter(h -> !h.isEmpty())
        .orElse("localhost");
  }

  /** Credentials of the process reading this procfs, for the root check. */
  public Optional<Credentials> selfCredentials() {
    return readText("self", "status").flatMap(Credentials::parse);
  }

  /** The reaper's own pid as this procfs names it; -1 when the procfs has no {@code self}. */
  public int selfPid() {
    try {
      return pidOf(Files.readSymbolicLink(root.resolve("self")).toString());
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }

  private Path dir(int pid) {
    return root.resolve(Integer.toString(pid));
  }

  /** The working directory of a process (a daemon's spool directory), empty when unreadable. */
  public Optional<Path> cwd(int pid) {
    try {
      return Optional.of(Files.readSymbolicLink(dir(pid).resolve("cwd")));
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /**
   * The executable's path when the process started it. The kernel appends " (deleted)" once
   * the file is replaced, as every package upgrade does to running daemons; the process still
   * runs what it ran, and a batch daemon or anchor must not lose its identity (and its jobs
   * their protection) because its package was upgraded under it.
   */
  private Optional<String> exe(int pid) {
    try {
      String path = Files.readSymbolicLink(dir(pid).resolve("exe")).toString();
      return Optional.of(path.endsWith(DELETED)
          ? path.substring(0, path.length() - DELETED.length()) : path);
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  private static final String DELETED = " (deleted)";

  private Optional<String> readText(Object pid, String file) {
    byte[] b = new byte[8192];
    int n = read(rootPrefix + pid + "/" + file, b, b.length);
    return n < 0 ? Optional.empty() : Optional.of(new String(b, 0, n, StandardCharsets.UTF_8));
  }

  private Instant bootTime() throws ProcUnreadableException {
    String stat = readText("", "stat").orElse("");
    for (String line : stat.split("\n")) {
      if (line.startsWith("btime ")) {
        try {
          return Instant.ofEpochSecond(Long.parseLong(line.substring(6).trim()));
        } catch (NumberFormatException e) {
          break;
        }
      }
    }
    throw new ProcUnreadableException("no btime line in " + root.resolve("stat"));
  }

  private long uptimeTicks() throws ProcUnreadableException {
    String text = readText("", "uptime").orElse("").trim();
    int space = text.indexOf(' ');
    try {
      double seconds = Double.parseDouble(space < 0 ? text : text.substring(0, space));
      return (long) (seconds * KernelUnits.INSTANCE.perSecond());
    } catch (NumberFormatException e) {
      throw new ProcUnreadableException("cannot read the uptime from " + root.resolve("uptime"));
    }
  }

  static int pidOf(String name) {
    int n = name.length();
    if (n == 0 || n > 10) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  /** Reads up to {@code limit} bytes into {@code b}; -1 when the file is gone or unreadable. */
  static int read(String path, byte[] b, int limit) {
    try (InputStream in = new FileInputStream(path)) {
      int total = 0;
      while (total < limit) {
        int n = in.read(b, total, limit - total);
        if (n < 0) {
          break;
        }
        total += n;
      }
      return total;
    } catch (IOException e) {
      // ENOENT and ESRCH both mean the process exited between listing and reading.
      return -1;
    }
  }
}
