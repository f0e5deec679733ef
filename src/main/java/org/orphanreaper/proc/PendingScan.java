package org.orphanreaper.proc;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** A {@link ProcFs#scan()} under way on a thread of its own; {@link #await} takes its result. */
public final class PendingScan {
  private final FutureTask<Snapshot> task;

  PendingScan(ProcFs procfs) {
    task = new FutureTask<>(procfs::scan);
    Thread t = new Thread(task, "proc-scan");
    t.setDaemon(true);
    t.start();
  }

  /** The snapshot, or what made the scan fail, as a scan on this thread would have thrown it. */
  public Snapshot await() throws ProcUnreadableException {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProcUnreadableException("interrupted while reading the process table");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ProcUnreadableException p) {
        throw p;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
