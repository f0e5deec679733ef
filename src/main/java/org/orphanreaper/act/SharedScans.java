package org.orphanreaper.act;

import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.ProcUnreadableException;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.ProcessTree;

/**
 * The re-scans of /proc that the kills of one run share. A kill needs /proc as it is after some
 * moment (after it pinned its family, after its members were seen gone): any scan that started
 * after that moment will do, so every kill waiting at the same time takes the same one. A run
 * that kills 5,000 families then scans a few hundred times, not tens of thousands.
 */
public final class SharedScans {

  /** One scan and the tree built from it. */
  record Scan(long startedAt, Snapshot snapshot, ProcessTree tree) {}

  private final ProcFs procfs;
  private Scan latest; // guarded by this
  private boolean scanning; // guarded by this

  public SharedScans(ProcFs procfs) {
    this.procfs = procfs;
  }

  /** A scan that started at or after {@code moment} (System.nanoTime()). */
  Scan after(long moment) throws ProcUnreadableException {
    synchronized (this) {
      while (latest == null || latest.startedAt() - moment < 0) {
        if (!scanning) {
          scanning = true;
          break;
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ProcUnreadableException("interrupted while waiting for a scan");
        }
      }
      if (!scanning) {
        return latest;
      }
    }
    long start = System.nanoTime();
    try {
      Snapshot s = procfs.scan();
      Scan scan = new Scan(start, s, new ProcessTree(s));
      synchronized (this) {
        latest = scan;
      }
      return scan;
    } finally {
      synchronized (this) {
        scanning = false;
        notifyAll();
      }
    }
  }
}
