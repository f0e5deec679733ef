package org.orphanreaper.proc;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.orphanreaper.base.ProcId;

/**
 * One process, as psutil's Process: its identity and everything its stat line says, read by
 * the scan for every process, and the parts read later and only where a verdict needs them
 * (credentials from status, the command line, the executable, the cgroups), memoised here by
 * {@link ProcFs#read}, which reads each at most once. The tree, the families, the kill and the
 * reports all hold the same object, so what was read of a process is seen wherever it is held.
 *
 * <p>The stat is fixed at the scan. A part, once read, is not read again by {@link ProcFs#read};
 * only the kill reads a re-scan's processes anew ({@link ProcFs#readNow}), to judge them as they
 * are now. Safe to share between threads: what was read is published in one volatile write.
 */
public final class Proc {

  /** PF_KTHREAD from include/linux/sched.h: the task is a kernel thread. */
  static final long PF_KTHREAD = 0x00200000L;

  private final int pid;
  private final String comm;
  private final char state;
  private final int ppid;
  private final int pgid;
  private final int sid;
  private final int ttyNr;
  private final long flags;
  private final long cpuTicks;
  private final int threads;
  private final long startTicks;
  private final long rssPages;
  private volatile Known known = Known.NOTHING;
  private volatile boolean vanished;

  /**
   * A process as its stat line describes it, nothing else read yet.
   *
   * @param pid process id in the scanned procfs
   * @param comm the kernel's command name (up to 15 bytes; may contain spaces and parentheses)
   * @param state one-letter state: R S D T t Z X I ...
   * @param ppid parent pid (0 for init and, on the host, kthreadd)
   * @param pgid process group id
   * @param sid session id
   * @param ttyNr controlling terminal device number, 0 for none
   * @param flags kernel PF_* flags
   * @param cpuTicks utime + stime in clock ticks
   * @param threads number of threads
   * @param startTicks start time in clock ticks since boot
   * @param rssPages resident set size in pages
   */
  public Proc(int pid, String comm, char state, int ppid, int pgid, int sid, int ttyNr,
      long flags, long cpuTicks, int threads, long startTicks, long rssPages) {
    this.pid = pid;
    this.comm = Objects.requireNonNull(comm);
    this.state = state;
    this.ppid = ppid;
    this.pgid = pgid;
    this.sid = sid;
    this.ttyNr = ttyNr;
    this.flags = flags;
    this.cpuTicks = cpuTicks;
    this.threads = threads;
    this.startTicks = startTicks;
    this.rssPages = rssPages;
  }

  /**
   * What was read of a process beyond its stat.
   *
   * @param credentials empty when status could not be read although the process exists, or was
   *     not read; the decision treats such a process as protected
   * @param cmdline argv joined by spaces, truncated; empty for zombies, kernel threads, when
   *     unreadable and when not read
   * @param exe the target of exe, empty when unreadable (always for zombies) or not read
   * @param cgroups the path of every line of cgroup, empty when unreadable or not read
   * @param mask the parts read, as {@link Part} bits: what is not among them is unknown, not
   *     empty
   */
  record Known(Optional<Credentials> credentials, String cmdline, Optional<String> exe,
      Optional<List<String>> cgroups, int mask) {
    static final Known NOTHING = new Known(Optional.empty(), "", Optional.empty(),
        Optional.empty(), 0);

    Known {
      cgroups = cgroups.map(List::copyOf);
    }
  }

  public int pid() {
    return pid;
  }

  public String comm() {
    return comm;
  }

  public char state() {
    return state;
  }

  public int ppid() {
    return ppid;
  }

  public int pgid() {
    return pgid;
  }

  public int sid() {
    return sid;
  }

  public int ttyNr() {
    return ttyNr;
  }

  public long flags() {
    return flags;
  }

  public long cpuTicks() {
    return cpuTicks;
  }

  public int threads() {
    return threads;
  }

  public long startTicks() {
    return startTicks;
  }

  public long rssPages() {
    return rssPages;
  }

  public ProcId id() {
    return new ProcId(pid, startTicks);
  }

  /**
   * Kernel threads are never candidates. Known by what the kernel says, PF_KTHREAD in the flags
   * (kthreadd and every thread it creates carry it), never by pid: inside a container or PID
   * namespace there is no kthreadd, and pid 2 is the first user process init started, its
   * children have ppid 2.
   */
  public boolean kernelThread() {
    return (flags & PF_KTHREAD) != 0;
  }

  public boolean zombie() {
    return state == 'Z' || state == 'X';
  }

  /**
   * Dead for good: a zombie none of whose threads runs. A thread-group leader that called
   * pthread_exit shows state Z while its other threads run on: that process is alive, and a
   * signal to it reaches them.
   */
  public boolean dead() {
    return zombie() && threads <= 1;
  }

  public boolean hasTty() {
    return ttyNr != 0;
  }

  /** The credentials from status; empty when not read or unreadable (then it is protected). */
  public Optional<Credentials> credentials() {
    return known.credentials();
  }

  /** argv joined by spaces, truncated; empty when not read, unreadable, a zombie's or a kernel thread's. */
  public String cmdline() {
    return known.cmdline();
  }

  /** The executable's path; empty when not read or unreadable (always for zombies). */
  public Optional<String> exe() {
    return known.exe();
  }

  /** The path of every line of its cgroup file; empty when not read or unreadable. */
  public Optional<List<String>> cgroups() {
    return known.cgroups();
  }

  /** The parts read so far: a later {@link ProcFs#read} reads only those missing. */
  public Set<Part> read() {
    return Part.setOf(known.mask());
  }

  public boolean has(Part p) {
    return (known.mask() & p.bit()) != 0;
  }

  /** Something beyond its stat has been read. */
  public boolean described() {
    return known.mask() != 0;
  }

  /**
   * Found gone, or its pid reused, when it was read after the scan: what else it says is as of
   * the scan, and it is judged as gone.
   */
  public boolean vanished() {
    return vanished;
  }

  Known known() {
    return known;
  }

  /** Memoises what {@link ProcFs#read} (or a test's fixture) read of this process. */
  void learn(Known what) {
    known = what;
  }

  void markVanished() {
    vanished = true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Proc p && pid == p.pid && state == p.state && ppid == p.ppid
        && pgid == p.pgid && sid == p.sid && ttyNr == p.ttyNr && flags == p.flags
        && cpuTicks == p.cpuTicks && threads == p.threads && startTicks == p.startTicks
        && rssPages == p.rssPages && comm.equals(p.comm) && known.equals(p.known)
        && vanished == p.vanished;
  }

  @Override
  public int hashCode() {
    return Objects.hash(pid, startTicks, comm);
  }

  @Override
  public String toString() {
    return "Proc[pid=" + pid + ", comm=" + comm + ", state=" + state + ", ppid=" + ppid
        + ", sid=" + sid + ", start=" + startTicks + ", read=" + read()
        + (vanished ? ", vanished" : "") + "]";
  }

  /** Parses a whole stat line, e.g. {@code "42 (a) S 1 1 1) S 1 ..."}. */
  public static Optional<Proc> parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return parse(b, b.length);
  }

  /**
   * Parses the first {@code len} bytes of a stat file. The command name sits between the first
   * '(' and the LAST ')': a process may name itself {@code a) S 1 1 1}, so a parser that splits
   * on spaces or stops at the first ')' can be made to read a forged ppid or session.
   */
  public static Optional<Proc> parse(byte[] b, int len) {
    int open = -1;
    for (int i = 0; i < len; i++) {
      if (b[i] == '(') {
        open = i;
        break;
      }
    }
    int close = -1;
    for (int i = len - 1; i > open; i--) {
      if (b[i] == ')') {
        close = i;
        break;
      }
    }
    if (open < 1 || close < 0 || close + 2 >= len) {
      return Optional.empty();
    }
    Fields f = new Fields(b, close + 2, len);
    char state = (char) b[close + 2];
    f.skip(); // state
    long ppid = f.next();
    long pgid = f.next();
    long sid = f.next();
    long tty = f.next();
    f.skip(); // tpgid
    long flags = f.next();
    f.skip(4); // minflt cminflt majflt cmajflt
    long utime = f.next();
    long stime = f.next();
    f.skip(4); // cutime cstime priority nice
    long threads = f.next();
    f.skip(); // itrealvalue
    long start = f.next();
    f.skip(); // vsize
    long rss = f.next();
    long pid = new Fields(b, 0, open).next();
    if (f.failed || pid < 0) {
      return Optional.empty();
    }
    String comm = new String(b, open + 1, close - open - 1, StandardCharsets.UTF_8);
    return Optional.of(
        new Proc(
            (int) pid,
            comm,
            state,
            (int) ppid,
            (int) pgid,
            (int) sid,
            (int) tty,
            flags,
            utime + stime,
            (int) threads,
            start,
            Math.max(rss, 0)));
  }

  /** Space-separated decimal fields; sets {@code failed} instead of throwing on garbage. */
  private static final class Fields {
    private final byte[] b;
    private final int end;
    private int pos;
    boolean failed;

    Fields(byte[] b, int pos, int end) {
      this.b = b;
      this.pos = pos;
      this.end = end;
    }

    void skip() {
      while (pos < end && b[pos] == ' ') {
        pos++;
      }
      if (pos >= end) {
        failed = true;
      }
      while (pos < end && b[pos] != ' ' && b[pos] != '\n') {
        pos++;
      }
    }

    void skip(int n) {
      for (int i = 0; i < n; i++) {
        skip();
      }
    }

    long next() {
      while (pos < end && b[pos] == ' ') {
        pos++;
      }
      boolean negative = pos < end && b[pos] == '-';
      if (negative) {
        pos++;
      }
      int digits = 0;
      long v = 0;
      while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
        v = v * 10 + (b[pos] - '0');
        pos++;
        digits++;
      }
      if (digits == 0 || (pos < end && b[pos] != ' ' && b[pos] != '\n')) {
        failed = true;
        return -1;
      }
      return negative ? -v : v;
    }
  }
}
