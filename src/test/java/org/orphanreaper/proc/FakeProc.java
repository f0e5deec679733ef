package org.orphanreaper.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a fixture procfs in a directory: {@code stat} (btime), {@code uptime} and one directory
 * per process with stat, status and cmdline, written the way the kernel writes them. The tests'
 * process trees, and the node the launcher's class-data archive is trained on (see
 * {@code cli.CdsTraining}); nothing here reads or touches a real process.
 */
public final class FakeProc {

  /** Boot time and uptime of every fixture: booted 10000 s before the scan. */
  public static final long BTIME = 1_700_000_000L;
  public static final long UPTIME_S = 10_000;

  private final Path root;
  /** Every process written, as last written: the source of {@link #snapshot}. */
  private final java.util.Map<Integer, FakeProcess> written = new java.util.TreeMap<>();
  private int self = -1;

  public FakeProc(Path root) {
    this.root = root;
    put(root.resolve("stat"), "cpu  1 2 3 4\nbtime " + BTIME + "\nprocesses 42\n");
    put(root.resolve("uptime"), UPTIME_S + ".00 100.00\n");
  }

  public Path root() {
    return root;
  }

  /** A process builder with sane defaults: uid 5001, started 1000 s ago, no cpu. */
  public FakeProcess proc(int pid) {
    return new FakeProcess(pid);
  }

  /** Makes {@code self} point at {@code pid}, as /proc/self does for the reader. */
  public FakeProc self(int pid) {
    self = pid;
    try {
      Files.deleteIfExists(root.resolve("self"));
      Files.createSymbolicLink(root.resolve("self"), Path.of(Integer.toString(pid)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** One fixture process; {@link #write()} puts it on disk. */
  public final class FakeProcess {
    private final int pid;
    private String comm = "sleep";
    private char state = 'S';
    private int ppid = 1;
    private int pgid;
    private int sid;
    private int tty;
    private long flags = 0x400000;
    private long cpuTicks;
    private long startTicks = (UPTIME_S - 1000) * 100;
    private long uid = 5001;
    private long euid = -1;
    private String groups = "5001";
    private String cmdline;
    private String exe;
    private boolean noExe;
    private String cwd;
    private String cgroup = "0::/user.slice/user-5001.slice/session-1.scope";
    private long rssPages = 250;
    private boolean status = true;

    FakeProcess(int pid) {
      this.pid = pid;
      this.pgid = pid;
      this.sid = pid;
    }

    public FakeProcess comm(String c) { comm = c; return this; }
    public FakeProcess state(char s) { state = s; return this; }
    public FakeProcess ppid(int p) { ppid = p; return this; }
    public FakeProcess pgid(int p) { pgid = p; return this; }
    public FakeProcess sid(int s) { sid = s; return this; }
    public FakeProcess tty(int t) { tty = t; return this; }
    public FakeProcess kernelThread() { flags |= Proc.PF_KTHREAD; return this; }
    public FakeProcess cpuSeconds(long s) { cpuTicks = s * 100; return this; }
    public FakeProcess ageSeconds(long s) { startTicks = (UPTIME_S - s) * 100; return this; }
    public FakeProcess startTicks(long t) { startTicks = t; return this; }
    /** A uid as the kernel prints it: unsigned 32-bit, 0 to 4294967295. */
    public FakeProcess uid(long u) { uid = u; return this; }
    public FakeProcess euid(long u) { euid = u; return this; }
    public FakeProcess groups(String g) { groups = g; return this; }
    public FakeProcess cmdline(String c) { cmdline = c; return this; }
    public FakeProcess noStatus() { status = false; return this; }
    /** Target of the exe link; default /usr/bin/COMM, none for zombies and kernel threads. */
    public FakeProcess exe(String e) { exe = e; return this; }
    /** No exe link, as another user's process looks to a reader without root. */
    public FakeProcess noExe() { noExe = true; return this; }
    /** Target of the cwd link (a daemon's spool directory). */
    public FakeProcess cwd(String c) { cwd = c; return this; }
    /** The whole text of the cgroup file. */
    public FakeProcess cgroup(String c) { cgroup = c; return this; }
    public FakeProcess rssPages(long p) { rssPages = p; return this; }

    private String statusText() {
      long e = euid < 0 ? uid : euid;
      return "Name:\t" + comm + "\nState:\t" + state + "\nPid:\t" + pid
          + "\nPPid:\t" + ppid + "\nUid:\t" + uid + "\t" + e + "\t" + e + "\t" + e
          + "\nGid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid + "\nGroups:\t" + groups
          + "\nThreads:\t1\n";
    }

    /** The command line as the reader joins it: empty for kernel threads and zombies. */
    private String argv() {
      return (flags & Proc.PF_KTHREAD) != 0 || state == 'Z' ? ""
          : cmdline == null ? comm : cmdline;
    }

    /** What a full read of this process gives. */
    private Proc.Known known() {
      boolean gone = (flags & Proc.PF_KTHREAD) != 0 || state == 'Z';
      java.util.Optional<String> link = noExe || gone && exe == null ? java.util.Optional.empty()
          : java.util.Optional.of(exe != null ? exe : "/usr/bin/" + comm);
      String argv = argv();
      if (argv.length() > ProcFs.CMDLINE_LIMIT) {
        argv = argv.substring(0, ProcFs.CMDLINE_LIMIT);
      }
      return new Proc.Known(status ? Credentials.parse(statusText()) : java.util.Optional.empty(),
          argv, link, java.util.Optional.of(ProcFs.cgroupPaths(cgroup + "\n")),
          Part.mask(Part.FULL_WITH_CGROUP));
    }

    public String statLine() {
      long half = cpuTicks / 2;
      return pid + " (" + comm + ") " + state + " " + ppid + " " + pgid + " " + sid + " " + tty
          + " -1 " + flags + " 100 0 0 0 " + half + " " + (cpuTicks - half)
          + " 0 0 20 0 1 0 " + startTicks + " 1000000 " + rssPages + " 18446744073709551615 1 1 0 0 0 0 0 0"
          + " 0 0 0 0 17 0 0 0 0 0 0\n";
    }

    public FakeProc write() {
      written.put(pid, this);
      Path dir = root.resolve(Integer.toString(pid));
      put(dir.resolve("stat"), statLine());
      if (status) {
        put(dir.resolve("status"), statusText());
      }
      put(dir.resolve("cmdline"), argv().replace(' ', '\0') + (argv().isEmpty() ? "" : "\0"));
      put(dir.resolve("cgroup"), cgroup + "\n");
      boolean gone = (flags & Proc.PF_KTHREAD) != 0 || state == 'Z';
      if (!noExe && (!gone || exe != null)) {
        try {
          Files.deleteIfExists(dir.resolve("exe"));
          Files.createSymbolicLink(dir.resolve("exe"), Path.of(exe != null ? exe : "/usr/bin/" + comm));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      try {
        // The kernel makes a process's /proc directory its effective uid's, which the reaper
        // reads for processes whose status it has no reason to read; only root can copy that.
        Files.setAttribute(dir, "unix:uid", (int) (euid < 0 ? uid : euid));
      } catch (IOException | UnsupportedOperationException e) {
        // not root: the directory stays the test's own
      }
      if (cwd != null) {
        try {
          Files.deleteIfExists(dir.resolve("cwd"));
          Files.createSymbolicLink(dir.resolve("cwd"), Path.of(cwd));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return FakeProc.this;
    }
  }

  /**
   * The node as a scan and a full read of every process would see it, built in memory from what
   * was written, for tests of the decision that need no /proc: every process's stat, and its
   * status, exe, cmdline and cgroup read ({@link Part#FULL_WITH_CGROUP}).
   */
  public Snapshot snapshot() {
    java.util.Map<Integer, Proc> stats = new java.util.HashMap<>();
    for (FakeProcess p : written.values()) {
      Proc read = Proc.parse(p.statLine()).orElseThrow();
      read.learn(p.known());
      stats.put(p.pid, read);
    }
    return new Snapshot(root, KernelUnits.INSTANCE.perSecond(),
        KernelUnits.INSTANCE.pageSize(), java.time.Instant.ofEpochSecond(BTIME),
        UPTIME_S * KernelUnits.INSTANCE.perSecond(), self, stats);
  }

  /** Marks {@code pids} of {@code s} as found gone when they were read, as a read would. */
  public static Snapshot vanish(Snapshot s, java.util.Collection<Integer> pids) {
    pids.forEach(pid -> s.processes().get(pid).markVanished());
    return s;
  }

  /** The paths of a cgroup file's lines, as the reader takes them. */
  public static java.util.List<String> cgroupPaths(String text) {
    return ProcFs.cgroupPaths(text);
  }

  private static void put(Path p, String text) {
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
