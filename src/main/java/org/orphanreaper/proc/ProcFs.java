package org.orphanreaper.proc;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one reader of a procfs. The scan reads only {@code stat} for every process; status, cmdline,
 * exe and cgroup are read later and only for candidates, because they cost more and cmdline can block.
 * A process that vanishes mid-scan is skipped silently. Safe to share between threads: every
 * read has buffers of its own (the kill's threads re-check identities while others re-scan).
 */
public final class ProcFs {

  /** Commands longer than this are truncated: some are megabytes long (NHC #52 hung on them). */
  static final int CMDLINE_LIMIT = 4096;

  private final Path root;
  private final String rootPrefix;
  private final CmdlineReader cmdlines;

  public ProcFs(Path root) {
    this.root = root;
    this.rootPrefix = root.toString() + File.separator;
    this.cmdlines = new CmdlineReader(CMDLINE_LIMIT);
  }

  public Path root() {
    return root;
  }

  /** Starts {@link #scan()} on a thread of its own, for a caller with other work meanwhile. */
  public PendingScan scanInBackground() {
    return new PendingScan(this);
  }

  /** Reads every process's stat plus the clock facts; fails only when procfs itself is unusable. */
  public Snapshot scan() throws ProcUnreadableException {
    Instant boot = bootTime();
    long uptime = uptimeTicks();
    String[] names = root.toFile().list();
    if (names == null) {
      throw new ProcUnreadableException("cannot list " + root);
    }
    // In the order of the listing, which for a procfs is pid order: the tree is built from it.
    Map<Integer, Proc> processes = new LinkedHashMap<>(names.length * 2);
    Proc[] stats = statAll(names);
    boolean vanished = false;
    for (int i = 0; i < stats.length; i++) {
      if (stats[i] != null) {
        processes.put(stats[i].pid(), stats[i]);
      } else {
        vanished |= !names[i].isEmpty() && Character.isDigit(names[i].charAt(0));
      }
    }
    if (vanished) {
      processes = withBornDuringScan(processes);
    }
    if (processes.isEmpty()) {
      throw new ProcUnreadableException(root + " lists no processes; is it a procfs?");
    }
    // Handed over read-only and never touched again here, so the snapshot need not copy it.
    return new Snapshot(
        root, KernelUnits.INSTANCE.perSecond(), KernelUnits.INSTANCE.pageSize(), boot, uptime,
        selfPid(), Collections.unmodifiableMap(processes));
  }

  /**
   * A process listed but gone before its stat was read may have made the next one as it went
   * (a pid hopper forks and exits every few milliseconds): the whole family could be between
   * the listing and the reads. Listing once more adds what was born meanwhile, in pid order.
   * Only scans that saw a process vanish pay for it.
   */
  private Map<Integer, Proc> withBornDuringScan(Map<Integer, Proc> seen) {
    String[] again = root.toFile().list();
    if (again == null) {
      return seen;
    }
    String[] born = Arrays.stream(again)
        .filter(n -> pidOf(n) > 0 && !seen.containsKey(pidOf(n))).toArray(String[]::new);
    if (born.length == 0) {
      return seen;
    }
    TreeMap<Integer, Proc> all = new TreeMap<>(seen);
    for (Proc p : statAll(born)) {
      if (p != null) {
        all.put(p.pid(), p);
      }
    }
    return new LinkedHashMap<>(all);
  }

  /**
   * The stat of every pid among {@code names}, null where there is none. Each read is a
   * kernel-bound open/read/close of a file the kernel formats on the spot (about 15 us here), so
   * a node with tens of thousands of processes is read by several threads (see inSlices).
   */
  private Proc[] statAll(String[] names) {
    Proc[] out = new Proc[names.length];
    inSlices(names.length, 2000, (slice, slices) -> statSlice(names, slice, slices, out));
    return out;
  }

  /** One part of a job split over threads: the items {@code slice, slice + slices, ...}. */
  private interface Slice {
    void run(int slice, int slices);
  }

  /**
   * Runs {@code work} split over as many threads as there are CPUs (at most 4), or on this one
   * alone below {@code parallelFrom} items, where a second thread would not pay its start; waits
   * for every slice. Each slice writes only its own items, so nothing is shared but the output
   * arrays, which are read after the joins.
   */
  private static void inSlices(int items, int parallelFrom, Slice work) {
    int threads = items < parallelFrom ? 1
        : Math.min(4, Runtime.getRuntime().availableProcessors());
    List<Thread> helpers = new ArrayList<>();
    for (int t = 1; t < threads; t++) {
      int slice = t;
      Thread h = new Thread(() -> work.run(slice, threads), "proc-reader-" + t);
      h.setDaemon(true);
      h.start();
      helpers.add(h);
    }
    work.run(0, threads);
    boolean interrupted = false;
    for (Thread h : helpers) {
      while (h.isAlive()) { // the slices must be complete before anyone reads them
        try {
          h.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void statSlice(String[] names, int slice, int slices, Proc[] out) {
    byte[] b = new byte[4096];
    for (int i = slice; i < names.length; i += slices) {
      int pid = pidOf(names[i]);
      if (pid > 0) {
        int n = readStat(rootPrefix + pid + "/stat", b);
        out[i] = n <= 0 ? null : Proc.parse(b, n).orElse(null);
      }
    }
  }

  /** The current stat of one pid; empty when it is gone or unreadable. */
  public Optional<Proc> stat(int pid) {
    byte[] b = new byte[4096];
    int n = readStat(rootPrefix + pid + "/stat", b);
    return n <= 0 ? Optional.empty() : Proc.parse(b, n);
  }

  /**
   * The children of {@code pid} now, from each of its threads' {@code children} file (Linux 3.5+,
   * CONFIG_PROC_CHILDREN, which Debian and RHEL kernels set); empty when the process is gone or
   * the kernel has no such file. A pid listed may be gone, or reused, by the time it is read.
   */
  public List<Integer> children(int pid) {
    List<Integer> kids = new ArrayList<>();
    String[] threads = new File(rootPrefix + pid + "/task").list();
    if (threads == null) {
      return kids;
    }
    byte[] b = new byte[16384];
    for (String tid : threads) {
      int n = read(rootPrefix + pid + "/task/" + tid + "/children", b, b.length);
      int value = -1;
      for (int i = 0; i < Math.max(n, 0); i++) {
        if (b[i] >= '0' && b[i] <= '9') {
          value = (value < 0 ? 0 : value * 10) + (b[i] - '0');
        } else if (value >= 0) {
          kids.add(value);
          value = -1;
        }
      }
      if (value >= 0) {
        kids.add(value);
      }
    }
    return kids;
  }

  /**
   * Reads {@code parts} of the processes among {@code pids} that the scan saw into their {@link
   * Proc}, each file at most once: a part an earlier read took is not read again. Split over
   * threads, command lines on one of their own (a cmdline read can block). With {@link
   * Part#START_TIME}, stat is read again after everything else, and a process whose start time
   * changed since the scan is marked vanished: its pid was reused, and what was read may be
   * another's. Without it, what is read counts only for what may protect (an anchor, a batch
   * daemon, a running job's GID), or once a later read with it has checked the process.
   *
   * @return {@code snapshot}, which now knows what was read
   */
  public Snapshot read(Snapshot snapshot, Collection<Integer> pids, Set<Part> parts) {
    return read(snapshot, pids, parts, false);
  }

  /**
   * {@link #read}, but every part asked for is read anew, also where this snapshot's process has
   * it already, and replaces what was read before (the other parts stay). For the kill, which
   * judges a process as it is now: a re-scan's process read once in a pass (pinned on sight,
   * say) is read again after it was pinned, and a setuid program it exec'd in between is seen.
   */
  public Snapshot readNow(Snapshot snapshot, Collection<Integer> pids, Set<Part> parts) {
    return read(snapshot, pids, parts, true);
  }

  private Snapshot read(Snapshot snapshot, Collection<Integer> pids, Set<Part> parts,
      boolean again) {
    int want = Part.mask(parts);
    List<Proc> todo = new ArrayList<>();
    List<Integer> argvPids = new ArrayList<>();
    List<String> argvPaths = new ArrayList<>();
    for (int pid : pids) {
      Proc seen = snapshot.processes().get(pid);
      if (seen == null || seen.vanished() || !again && (seen.known().mask() & want) == want) {
        continue; // (a pid found gone is not read again: it may be another process's now)
      }
      todo.add(seen);
      if (parts.contains(Part.CMDLINE) && (again || !seen.has(Part.CMDLINE))
          && !seen.zombie() && !seen.kernelThread()) {
        argvPids.add(pid);
        argvPaths.add(rootPrefix + pid + "/cmdline");
      }
    }
    CmdlineReader.Batch argv = cmdlines.start(argvPids, argvPaths);
    Proc.Known[] read = new Proc.Known[todo.size()];
    inSlices(todo.size(), 200, (slice, slices) -> {
      byte[] b = new byte[8192];
      for (int i = slice; i < read.length; i += slices) {
        read[i] = readParts(todo.get(i), want, again, b);
      }
    });
    Map<Integer, String> argvs = argv.await();
    boolean[] same = new boolean[todo.size()];
    if (parts.contains(Part.START_TIME)) {
      // Last, after every file was read: a pid whose start time changed since the scan was
      // reused meanwhile.
      inSlices(todo.size(), 200, (slice, slices) -> {
        byte[] b = new byte[4096];
        for (int i = slice; i < same.length; i += slices) {
          Proc p = todo.get(i);
          int n = readStat(rootPrefix + p.pid() + "/stat", b);
          same[i] = n > 0 && Proc.parse(b, n).map(Proc::startTicks)
              .filter(t -> t == p.startTicks()).isPresent();
        }
      });
    } else {
      Arrays.fill(same, true);
    }
    for (int i = 0; i < read.length; i++) {
      Proc p = todo.get(i);
      if (!same[i]) {
        p.markVanished();
        continue;
      }
      Proc.Known k = read[i];
      String cmdline = argvs.get(p.pid());
      p.learn(cmdline == null ? k
          : new Proc.Known(k.credentials(), cmdline, k.exe(), k.cgroups(), k.mask()));
    }
    return snapshot;
  }

  /**
   * The parts of {@code p} it lacks among {@code want} (with {@code again}, all of them), read
   * into {@code b}, with what it had; the command line is read apart. Reading anything anew
   * makes an earlier start-time check stale.
   */
  private Proc.Known readParts(Proc p, int want, boolean again, byte[] b) {
    Proc.Known known = p.known();
    int had = again ? known.mask() & ~want : known.mask();
    Optional<Credentials> credentials = missing(Part.STATUS, had, want)
        ? processCredentials(p, b) : known.credentials();
    Optional<String> exe = missing(Part.EXE, had, want) ? exe(p.pid()) : known.exe();
    Optional<List<String>> cgroups = missing(Part.CGROUP, had, want)
        ? readText(p.pid(), "cgroup", b).map(ProcFs::cgroupPaths) : known.cgroups();
    int now = had | want;
    if ((want & Part.START_TIME.bit()) == 0 && (want & ~had) != 0) {
      now &= ~Part.START_TIME.bit();
    }
    return new Proc.Known(credentials, known.cmdline(), exe, cgroups, now);
  }

  /** The paths of {@code hierarchy-ID:controllers:path} lines, in file order. */
  static List<String> cgroupPaths(String text) {
    List<String> out = new ArrayList<>();
    for (int line = 0, end; line < text.length(); line = end + 1) {
      end = text.indexOf('\n', line);
      if (end < 0) {
        end = text.length();
      }
      int first = text.indexOf(':', line);
      int second = first < 0 || first >= end ? -1 : text.indexOf(':', first + 1);
      if (second >= 0 && second < end) {
        out.add(text.substring(second + 1, end));
      }
    }
    return out;
  }

  /** Whether {@code part} is wanted and was not read before. */
  private static boolean missing(Part part, int had, int want) {
    return (want & part.bit()) != 0 && (had & part.bit()) == 0;
  }


  /**
   * How many processes run as a uid at or above {@code minUid}: by their credentials where they
   * were read, else by the owner of their /proc directory (one stat, no file read).
   */
  public int userProcesses(Snapshot s, long minUid) {
    int n = 0;
    for (Proc p : s.processes().values()) {
      if (p.kernelThread()) {
        continue;
      }
      long uid = p.credentials().map(Credentials::ruid).orElseGet(() -> owner(p.pid()));
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
    return credentials("self", new byte[8192]);
  }

  /**
   * The credentials in a process's status file, read into {@code b}. A status that fills
   * {@code b} has a long Groups line (a user in about a thousand groups), and a line cut short would
   * end in a cut number, another gid: such a file is read again whole.
   */
  private Optional<Credentials> credentials(Object pid, byte[] b) {
    String path = rootPrefix + pid + "/status";
    byte[] into = b;
    int n = readRecord(path, into, into.length);
    if (n == into.length) {
      into = new byte[STATUS_LIMIT];
      n = readRecord(path, into, into.length);
      if (n == into.length) {
        return Optional.empty(); // still cut: unknown credentials, so the process is protected
      }
    }
    return n < 0 ? Optional.empty() : Credentials.parse(into, n);
  }

  /**
   * The credentials the hard floor judges a process by: its own, or, when it has threads, those
   * of its most privileged thread. Threads can hold credentials of their own (a raw setresuid in
   * one thread; a setuid program that drops privileges in its main thread only), and a signal
   * hits them all. A thread that ends while it is read is passed over.
   */
  private Optional<Credentials> processCredentials(Proc p, byte[] b) {
    Optional<Credentials> leader = credentials(p.pid(), b);
    if (p.threads() <= 1 || leader.isEmpty()) {
      return leader;
    }
    Credentials most = leader.get();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(
        Path.of(rootPrefix + p.pid(), "task"))) {
      for (Path task : tasks) {
        String tid = task.getFileName().toString();
        if (tid.equals(Integer.toString(p.pid()))) {
          continue;
        }
        Optional<Credentials> c = credentials(p.pid() + "/task/" + tid, b);
        if (c.isPresent() && c.get().lowestUid() < most.lowestUid()) {
          most = c.get();
        }
      }
    } catch (IOException | RuntimeException e) {
      // no task directory (a fixture, a process gone): the leader's
    }
    return Optional.of(most);
  }

  /** 65,536 groups (the kernel's NGROUPS_MAX) of up to 10 digits each, with room to spare. */
  static final int STATUS_LIMIT = 1 << 20;

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
    return readText(pid, file, new byte[8192]);
  }

  private Optional<String> readText(Object pid, String file, byte[] b) {
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

  /**
   * Reads a stat file with one read(2): the kernel formats the whole line (at most about 1 KB)
   * in one go and hands all of it to a read with room for it, so the usual second read that
   * only sees the end of the file is saved (20,000 processes, 20,000 system calls). Should a
   * read ever stop short of the line's newline, the rest is read as usual.
   */
  static int readStat(String path, byte[] b) {
    return read(path, b, b.length, Stop.AT_NEWLINE);
  }

  /**
   * Reads a file the kernel formats as one record (status: {@code proc_single_show}) with as
   * few read(2)s as it takes: the whole record goes to the first read with room for it, so a
   * read that returns less than it asked for has returned everything, and the read that would
   * only see the end of the file is saved (20,000 system calls on a node that needs every
   * process's credentials). A file of a fixture procfs ends there too.
   */
  static int readRecord(String path, byte[] b, int limit) {
    return read(path, b, limit, Stop.AT_SHORT_READ);
  }

  /** Reads up to {@code limit} bytes into {@code b}; -1 when the file is gone or unreadable. */
  static int read(String path, byte[] b, int limit) {
    return read(path, b, limit, Stop.AT_END);
  }

  /** When a read loop may stop before the end of the file is seen. */
  private enum Stop {
    AT_END,
    /** after a read that ends in a newline */
    AT_NEWLINE,
    /** after a read that returned less than it asked for */
    AT_SHORT_READ
  }

  private static int read(String path, byte[] b, int limit, Stop stop) {
    try (InputStream in = new FileInputStream(path)) {
      int total = 0;
      while (total < limit) {
        int n = in.read(b, total, limit - total);
        if (n < 0) {
          break;
        }
        total += n;
        if (stop == Stop.AT_NEWLINE && total > 0 && b[total - 1] == '\n'
            || stop == Stop.AT_SHORT_READ && total < limit) {
          break;
        }
      }
      return total;
    } catch (IOException e) {
      // ENOENT and ESRCH both mean the process exited between listing and reading.
      return -1;
    }
  }
}
