package org.orphanreaper.proc;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Reads /proc/PID/cmdline without ever hanging the run. Reading it takes the target's mmap lock,
 * so it blocks for as long as that process sits in D state (NHC hung forever this way, mej/nhc
 * #156). The reads of one batch run in order on a daemon thread, beside the caller's other work;
 * a read that makes no progress for {@link #TIMEOUT_MS} is abandoned (its thread stays parked in
 * the kernel) and a fresh thread goes on with the next one. One thread per batch, not per read:
 * handing each read to a worker cost more than the read itself.
 */
final class CmdlineReader {

  private static final long TIMEOUT_MS = 300;
  /** After this many stuck reads, stop trying: each one parks a thread until the process wakes. */
  private static final int MAX_STUCK = 3;

  private final int limit;
  /** Counted across batches, which the kill's threads may run at once. */
  private final AtomicInteger stuck = new AtomicInteger();

  CmdlineReader(int limit) {
    this.limit = limit;
  }

  /** Starts reading the cmdline files of {@code pids} ({@code paths}, same order). */
  Batch start(List<Integer> pids, List<String> paths) {
    return new Batch(pids, paths);
  }

  /** One batch of reads under way. */
  final class Batch {
    private final List<Integer> pids;
    private final List<String> paths;
    private final AtomicReferenceArray<String> results;
    private Worker worker;

    private Batch(List<Integer> pids, List<String> paths) {
      this.pids = List.copyOf(pids);
      this.paths = List.copyOf(paths);
      this.results = new AtomicReferenceArray<>(paths.size());
      if (stuck.get() < MAX_STUCK && !paths.isEmpty()) {
        worker = new Worker(0);
      }
    }

    /** argv joined by spaces for each pid; "" when unreadable, gone or stuck. */
    Map<Integer, String> await() {
      int seen = -1;
      while (worker != null) {
        try {
          worker.thread.join(TIMEOUT_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          worker.abandon();
          break;
        }
        if (!worker.thread.isAlive()) {
          break;
        }
        int at = worker.next.get();
        if (at != seen) {
          seen = at; // progress since the last look: wait again
          continue;
        }
        // No progress for a whole timeout: the read of paths[at] is stuck.
        worker.abandon();
        results.compareAndSet(at, null, "");
        if (stuck.incrementAndGet() >= MAX_STUCK || at + 1 >= paths.size()) {
          break;
        }
        worker = new Worker(at + 1);
        seen = -1;
      }
      Map<Integer, String> out = new HashMap<>(paths.size() * 2);
      for (int i = 0; i < paths.size(); i++) {
        results.compareAndSet(i, null, ""); // not read: given up on, or never started
        out.put(pids.get(i), results.get(i));
      }
      return out;
    }

    /** Reads paths[from..] in order; stops at the next item once abandoned. */
    private final class Worker implements Runnable {
      final AtomicInteger next;
      final Thread thread;
      private volatile boolean abandoned;

      Worker(int from) {
        next = new AtomicInteger(from);
        thread = new Thread(this, "cmdline-reader");
        thread.setDaemon(true);
        thread.start();
      }

      void abandon() {
        abandoned = true;
      }

      @Override
      public void run() {
        for (int i = next.get(); i < paths.size() && !abandoned; i = next.incrementAndGet()) {
          String argv = readNow(paths.get(i), limit);
          if (!abandoned) {
            results.compareAndSet(i, null, argv);
          }
        }
      }
    }
  }

  static String readNow(String path, int limit) {
    byte[] b = new byte[limit + 1];
    int n = ProcFs.read(path, b, b.length);
    if (n <= 0) {
      return "";
    }
    return decode(b, n, limit);
  }

  /** NULs become spaces; a command longer than {@code limit} bytes ends in "...". */
  static String decode(byte[] b, int n, int limit) {
    boolean truncated = n > limit;
    int len = Math.min(n, limit);
    while (len > 0 && b[len - 1] == 0) {
      len--;
    }
    for (int i = 0; i < len; i++) {
      if (b[i] == 0 || b[i] == '\n' || b[i] == '\r') {
        b[i] = ' ';
      }
    }
    String s = new String(b, 0, len, StandardCharsets.UTF_8);
    return truncated ? s + "..." : s;
  }
}
