package org.orphanreaper.evidence;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * What the batch systems name as their running jobs' processes ({@link
 * EvidenceProvider#knownRunning()}), asked on a thread of its own: on a Slurm node that is
 * {@code scontrol listpids} (tens of milliseconds, most of it waiting for it), which runs while
 * the families are found and read.
 */
public final class KnownRunning {
  private final FutureTask<Set<Integer>> task;

  private KnownRunning(List<EvidenceProvider> providers) {
    task = new FutureTask<>(() -> {
      Set<Integer> all = new HashSet<>();
      for (EvidenceProvider p : providers) {
        all.addAll(p.knownRunning());
      }
      return all;
    });
  }

  /** Starts asking {@code providers}; their answers are theirs to keep for {@code collect}. */
  public static KnownRunning ask(List<EvidenceProvider> providers) {
    KnownRunning k = new KnownRunning(providers);
    Thread t = new Thread(k.task, "batch-known-running");
    t.setDaemon(true);
    t.start();
    return k;
  }

  /**
   * The union of the answers. Interrupted, it is empty: nothing is known to run, and every
   * process is read, as on a node without jobs.
   */
  public Set<Integer> await() {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Set.of();
    } catch (ExecutionException e) {
      throw new IllegalStateException("asking the batch systems failed: " + e.getCause(),
          e.getCause());
    }
  }
}
