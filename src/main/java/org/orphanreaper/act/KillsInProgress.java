package org.orphanreaper.act;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The families a run is killing now. When the run itself is stopped mid-kill (systemd's stop or
 * timeout, an admin's Ctrl-C: SIGTERM, SIGINT, SIGHUP), its shutdown hook calls {@link
 * #stopAndResume}: from then on no signal but SIGCONT goes out, and every process a kill had
 * stopped is resumed, so that no user's process stays frozen behind a reaper that died.
 * (SIGKILL runs no hook: the next run resumes what is left from the StopJournal.)
 */
public final class KillsInProgress {

  /** One kill that can be called off. */
  interface Resumable {
    /** No more signals but SIGCONT; resumes what it stopped; returns how many. */
    int cancelAndResume();
  }

  private final Set<Resumable> kills = ConcurrentHashMap.newKeySet();
  /** Which kill each process was taken by: two families' kills never take the same process. */
  private final java.util.Map<org.orphanreaper.base.ProcId, Resumable> claims =
      new ConcurrentHashMap<>();

  void add(Resumable r) {
    kills.add(r);
  }

  void remove(Resumable r) {
    kills.remove(r);
  }

  /**
   * Takes {@code id} for the kill {@code by}; false when another kill of this run has it (a
   * process born after the scan can look like a member's to several families of one user).
   */
  boolean claim(org.orphanreaper.base.ProcId id, Resumable by) {
    Resumable owner = claims.putIfAbsent(id, by);
    return owner == null || owner == by;
  }

  /** Calls off every kill in progress; returns how many processes were resumed. */
  public int stopAndResume() {
    int resumed = 0;
    for (Resumable r : kills) {
      resumed += r.cancelAndResume();
    }
    return resumed;
  }
}
