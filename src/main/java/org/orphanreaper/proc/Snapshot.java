package org.orphanreaper.proc;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every process at one moment, as the scan saw it, plus what was read of the candidates since
 * ({@link Proc}: each part read at most once, and never changed after). Every decision is a pure
 * function of a snapshot, so tests build snapshots by hand.
 *
 * @param procRoot the procfs it was read from
 * @param clockTicks USER_HZ: ticks per second of the times in stat
 * @param pageSize bytes per page, the unit of rss in stat
 * @param bootTime wall-clock boot time (btime of /proc/stat)
 * @param uptimeTicks time since boot, in ticks, when the scan started
 * @param selfPid the scanning process's own pid in this procfs, or -1 when it is not visible
 * @param processes every process by pid, kernel threads included, in the scan's order
 */
public record Snapshot(
    Path procRoot,
    int clockTicks,
    int pageSize,
    Instant bootTime,
    long uptimeTicks,
    int selfPid,
    Map<Integer, Proc> processes) {

  /** The init process of a procfs (of a PID namespace when /proc was mounted inside one). */
  public static final int INIT_PID = 1;

  /** The class of the read-only views this record makes of the maps it is given. */
  private static final Class<?> FROZEN = Collections.unmodifiableMap(Map.of()).getClass();

  public Snapshot {
    // Every snapshot of a run after the scan shares the scan's process map (20,000 entries on a
    // big node); it is copied once, into a view nobody holds the inner map of, and passed on.
    processes = FROZEN.isInstance(processes) ? processes
        : Collections.unmodifiableMap(new HashMap<>(processes));
  }

  public Optional<Proc> get(int pid) {
    return Optional.ofNullable(processes.get(pid));
  }

  /** The process when something beyond its stat was read of it. */
  public Optional<Proc> described(int pid) {
    Proc p = processes.get(pid);
    return p != null && p.described() ? Optional.of(p) : Optional.empty();
  }

  /** Whether the scan saw {@code pid} and a later read found it gone (or its pid reused). */
  public boolean vanished(int pid) {
    Proc p = processes.get(pid);
    return p != null && p.vanished();
  }

  public Duration cputime(Proc p) {
    return ticks(p.cpuTicks());
  }

  /** Time since the process started, as of the scan. */
  public Duration walltime(Proc p) {
    return ticks(Math.max(0, uptimeTicks - p.startTicks()));
  }

  /** Resident memory in bytes. */
  public long rss(Proc p) {
    return Math.max(0, p.rssPages()) * pageSize;
  }

  public Instant startTime(Proc p) {
    return bootTime.plus(ticks(p.startTicks()));
  }

  private Duration ticks(long t) {
    return Duration.ofMillis(t * 1000 / clockTicks);
  }
}
