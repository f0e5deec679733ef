package org.orphanreaper.act;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The families a run is killing now. When the run itself is stopped mid-kill (systemd's stop or
 * timeout, an admin's Ctrl-C: SIGTERM, SIGINT, SIGHUP), its shutdown hook calls {@link
 * #stopAndResume}: from then on no signal but SIGCONT goes out, and every process a kill had
 * stopped is resumed, so that no user's process stays frozen behind a reaper that died.
 * (SIGKILL runs no hook: that needs a journal the next run reads, not built yet.)
 */
public final class KillsInProgress {

  /** One kill that can be called off. */
  interface Resumable {
    /** No more signals but SIGCONT; resumes what it stopped; returns how many. */
    int cancelAndResume();
  }

  private final Set<Resumable> kills = ConcurrentHashMap.newKeySet();

  void add(Resumable r) {
    kills.add(r);
  }

  void remove(Resumable r) {
    kills.remove(r);
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
