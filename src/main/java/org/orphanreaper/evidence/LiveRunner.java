package org.orphanreaper.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a real command within its time limit, all of it: a command that does not exit in time is
 * killed with every process it started, and one that exits while something it started still
 * holds its output open has until the same limit to let go of it.
 */
final class LiveRunner implements CommandRunner {

  /** More output than a node's jobs print is cut. */
  private static final int MAX_OUTPUT = 16 << 20;

  /**
   * How long a command that exits right at its limit still has to close its output (the end of
   * the pipe arrives with its exit, so this is only thread scheduling).
   */
  private static final long CLOSING_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** Passes over a killed command's descendants, should they keep forking (see killTree). */
  private static final int KILL_PASSES = 10;

  @Override
  public Result run(List<String> argv, Duration timeout) throws EvidenceUnavailable {
    long deadline = System.nanoTime() + timeout.toNanos();
    Process p;
    try {
      p = new ProcessBuilder(argv).start();
    } catch (IOException e) {
      throw new EvidenceUnavailable("cannot run " + argv.get(0) + ": " + e.getMessage());
    }
    try {
      p.getOutputStream().close();
      // Read on the way, not after the exit, which a full pipe would keep from coming. Threads
      // of their own: a reader that something the command left behind keeps waiting must not
      // hold a thread of a pool others need.
      FutureTask<String> out = reading(p.getInputStream(), "batch-stdout");
      FutureTask<String> err = reading(p.getErrorStream(), "batch-stderr");
      if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        killTree(p);
        throw new EvidenceUnavailable(CommandRunner.shown(argv) + " did not answer within "
            + shown(timeout));
      }
      try {
        return new Result(p.exitValue(), closed(out, deadline), closed(err, deadline));
      } catch (TimeoutException e) {
        // What it left behind is init's now, out of reach; it may still be printing, so what
        // was read is not the whole answer.
        throw new EvidenceUnavailable(CommandRunner.shown(argv)
            + " exited but its output was not closed within " + shown(timeout));
      } catch (ExecutionException e) {
        // never taken for an empty answer
        throw new EvidenceUnavailable("cannot read what " + CommandRunner.shown(argv)
            + " printed: " + e.getCause().getMessage());
      }
    } catch (IOException e) {
      killTree(p);
      throw new EvidenceUnavailable("cannot run " + argv.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      killTree(p);
      Thread.currentThread().interrupt();
      throw new EvidenceUnavailable("interrupted while running " + argv.get(0));
    }
  }

  /** All a stream read, once its end came by {@code deadline} (or a moment after it). */
  private static String closed(FutureTask<String> reading, long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    return reading.get(Math.max(deadline - System.nanoTime(), CLOSING_NANOS),
        TimeUnit.NANOSECONDS);
  }

  /**
   * Kills {@code p} and every process below it. Its descendants go first, while {@code p} still
   * holds them together: once it is killed its children become init's and no longer show as
   * its descendants. Each pass kills those not yet killed (a killed child stays a zombie below
   * p until p waits for it), so what one of them forked before it died is found by the next. A
   * process that forks away between two passes and whose parent was killed is out of reach:
   * Java can neither stop a process nor signal a process group.
   */
  private static void killTree(Process p) {
    Set<ProcessHandle> killed = new HashSet<>();
    for (int pass = 0; pass < KILL_PASSES; pass++) {
      List<ProcessHandle> fresh = p.descendants().filter(h -> !killed.contains(h)).toList();
      if (fresh.isEmpty()) {
        break;
      }
      for (ProcessHandle h : fresh) {
        h.destroyForcibly(); // by pid and start time: never a process that took a freed pid
        killed.add(h);
      }
    }
    p.destroyForcibly();
  }

  private static FutureTask<String> reading(InputStream in, String name) {
    FutureTask<String> task = new FutureTask<>(() -> read(in));
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
    return task;
  }

  private static String read(InputStream in) throws IOException {
    try (in) {
      return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
    }
  }

  /** "20s", or "9987ms" for what is left of a budget. */
  private static String shown(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
