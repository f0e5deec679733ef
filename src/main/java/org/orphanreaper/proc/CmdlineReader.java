package org.orphanreaper.proc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads /proc/PID/cmdline without ever hanging the run. Reading it takes the target's mmap lock,
 * so it blocks for as long as that process sits in D state (NHC hung forever this way, mej/nhc
 * #156): each read runs on a daemon thread and is abandoned after a timeout.
 */
final class CmdlineReader {

  private static final long TIMEOUT_MS = 300;
  /** After this many stuck reads, stop trying: each one parks a thread until the process wakes. */
  private static final int MAX_STUCK = 3;

  private final int limit;
  private ExecutorService worker;
  private int stuck;

  CmdlineReader(int limit) {
    this.limit = limit;
  }

  /** argv joined by spaces; "" when unreadable, gone or stuck. */
  String read(Path processDir) {
    if (stuck >= MAX_STUCK) {
      return "";
    }
    if (worker == null) {
      worker =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "cmdline-reader");
                t.setDaemon(true);
                return t;
              });
    }
    String path = processDir.resolve("cmdline").toString();
    Future<String> f = worker.submit(() -> readNow(path, limit));
    try {
      return f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      stuck++;
      f.cancel(true);
      worker.shutdownNow();
      worker = null; // the stuck thread stays parked in the kernel; the next read gets a new one
      return "";
    } catch (ExecutionException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
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
