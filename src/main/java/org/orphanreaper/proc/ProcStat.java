package org.orphanreaper.proc;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.orphanreaper.base.ProcId;

/**
 * One process as /proc/PID/stat describes it: everything the tree and the decision need for
 * every process, read with one small file per process.
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
public record ProcStat(
    int pid,
    String comm,
    char state,
    int ppid,
    int pgid,
    int sid,
    int ttyNr,
    long flags,
    long cpuTicks,
    int threads,
    long startTicks,
    long rssPages) {

  /** PF_KTHREAD from include/linux/sched.h: the task is a kernel thread. */
  static final long PF_KTHREAD = 0x00200000L;

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

  /** Parses a whole stat line, e.g. {@code "42 (a) S 1 1 1) S 1 ..."}. */
  public static Optional<ProcStat> parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return parse(b, b.length);
  }

  /**
   * Parses the first {@code len} bytes of a stat file. The command name sits between the first
   * '(' and the LAST ')': a process may name itself {@code a) S 1 1 1}, so a parser that splits
   * on spaces or stops at the first ')' can be made to read a forged ppid or session.
   */
  public static Optional<ProcStat> parse(byte[] b, int len) {
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
        new ProcStat(
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
