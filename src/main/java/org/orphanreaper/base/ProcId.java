package org.orphanreaper.base;

/**
 * The identity of one process: its pid plus its start time in clock ticks since boot.
 *
 * <p>A pid alone is not an identity: the kernel reuses pids (pid_max is often 32768), so every
 * action re-checks the start time seen in the scan before touching the process.
 */
public record ProcId(int pid, long startTicks) {
  @Override
  public String toString() {
    return pid + "@" + startTicks;
  }
}
