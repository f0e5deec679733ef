package org.orphanreaper.proc;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One immutable view of every process at one moment, plus details of the candidates. Every
 * decision is a pure function of a snapshot, so tests build snapshots by hand.
 *
 * @param procRoot the procfs it was read from
 * @param clockTicks USER_HZ: ticks per second of the times in stat
 * @param pageSize bytes per page, the unit of rss in stat
 * @param bootTime wall-clock boot time (btime of /proc/stat)
 * @param uptimeTicks time since boot, in ticks, when the scan started
 * @param selfPid the scanning process's own pid in this procfs, or -1 when it is not visible
 * @param processes every process by pid, kernel threads included
 * @param details status/cmdline/exe/cgroup for the processes they were read for
 * @param vanished pids that were seen in the scan but had exited when details were read
 */
public record Snapshot(
    Path procRoot,
    int clockTicks,
    int pageSize,
    Instant bootTime,
    long uptimeTicks,
    int selfPid,
    Map<Integer, ProcStat> processes,
    Map<Integer, ProcDetails> details,
    Set<Integer> vanished) {

  /** The init process of a procfs (of a PID namespace when /proc was mounted inside one). */
  public static final int INIT_PID = 1;

  /** The class of the read-only views this record makes of the maps it is given. */
  private static final Class<?> FROZEN = Collections.unmodifiableMap(Map.of()).getClass();

  public Snapshot {
    // Every snapshot of a run after the scan shares the scan's process map (20,000 entries on a
    // big node); it is copied once, into a view nobody holds the inner map of, and passed on.
    processes = FROZEN.isInstance(processes) ? processes
        : Collections.unmodifiableMap(new HashMap<>(processes));
    details = FROZEN.isInstance(details) ? details
        : Collections.unmodifiableMap(new HashMap<>(details));
    vanished = Set.copyOf(vanished);
  }

  public Optional<ProcStat> get(int pid) {
    return Optional.ofNullable(processes.get(pid));
  }

  public Optional<ProcDetails> detailsOf(int pid) {
    return Optional.ofNullable(details.get(pid));
  }

  public Duration cputime(ProcStat p) {
    return ticks(p.cpuTicks());
  }

  /** Time since the process started, as of the scan. */
  public Duration walltime(ProcStat p) {
    return ticks(Math.max(0, uptimeTicks - p.startTicks()));
  }

  /** Resident memory in bytes. */
  public long rss(ProcStat p) {
    return Math.max(0, p.rssPages()) * pageSize;
  }

  public Instant startTime(ProcStat p) {
    return bootTime.plus(ticks(p.startTicks()));
  }

  private Duration ticks(long t) {
    return Duration.ofMillis(t * 1000 / clockTicks);
  }

  /** This snapshot with more details, and with the pids found gone while reading them. */
  public Snapshot withDetails(Map<Integer, ProcDetails> more, Collection<Integer> gone) {
    Map<Integer, ProcDetails> d = new HashMap<>(details);
    d.putAll(more);
    d = Collections.unmodifiableMap(d); // nobody else holds d: no second copy
    Set<Integer> v = new HashSet<>(vanished);
    v.addAll(gone);
    return new Snapshot(procRoot, clockTicks, pageSize, bootTime, uptimeTicks, selfPid, processes, d, v);
  }
}
