package org.orphanreaper.act;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orphanreaper.proc.ProcDetails;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.ProcStat;
import org.orphanreaper.proc.ProcUnreadableException;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.ProcessTree;

/**
 * One re-scan of /proc during a kill, shared by every family killed in the same pass: the
 * scan, its tree, the processes re-parented to init by session, and what the families look up
 * about processes born since the run's scan, read once however many families ask. A run that
 * kills 5,000 families reads /proc once per pass, not once per family.
 */
final class Rescan {

  private final ProcFs procfs;
  private final Snapshot snapshot;
  private final ProcessTree tree;
  private final Map<Integer, List<ProcStat>> orphansBySession = new HashMap<>();
  private final List<ProcStat> bornOrphans = new ArrayList<>();
  private Snapshot bornDescribed;
  private final Map<Pen.Hierarchy, Map<Integer, Optional<String>>> cgroups = new HashMap<>();

  private Rescan(ProcFs procfs, Snapshot snapshot, Set<Integer> inits, long scanTicks) {
    this.procfs = procfs;
    this.snapshot = snapshot;
    this.tree = new ProcessTree(snapshot);
    for (ProcStat p : snapshot.processes().values()) {
      if (!inits.contains(p.ppid()) || p.kernelThread()) {
        continue;
      }
      orphansBySession.computeIfAbsent(p.sid(), s -> new ArrayList<>()).add(p);
      if (p.startTicks() > scanTicks) {
        bornOrphans.add(p);
      }
    }
  }

  /**
   * Scans /proc now.
   *
   * @param scanTicks the latest start time in the run's scan: a later one was born during it
   */
  static Rescan now(ProcFs procfs, Set<Integer> inits, long scanTicks)
      throws ProcUnreadableException {
    return new Rescan(procfs, procfs.scan(), inits, scanTicks);
  }

  Snapshot snapshot() {
    return snapshot;
  }

  ProcessTree tree() {
    return tree;
  }

  /** Processes whose parent is init and whose session is {@code sid}. */
  List<ProcStat> orphansIn(int sid) {
    return orphansBySession.getOrDefault(sid, List.of());
  }

  /** Processes re-parented to init that were born after the run's scan. */
  List<ProcStat> bornOrphans() {
    return bornOrphans;
  }

  /** {@link #bornOrphans} described (credentials, exe, command line), read once. */
  Snapshot bornOrphansDescribed() {
    if (bornDescribed == null) {
      bornDescribed = procfs.read(snapshot, bornOrphans.stream().map(ProcStat::pid).toList(),
          ProcDetails.FULL_WITH_CGROUP);
    }
    return bornDescribed;
  }

  /** The cgroup of {@code pid} in {@code h}, read once for this re-scan. */
  Optional<String> cgroupOf(Pen.Hierarchy h, Path procRoot, int pid) {
    return cgroups.computeIfAbsent(h, x -> new HashMap<>())
        .computeIfAbsent(pid, p -> Pen.cgroupOf(h, procRoot, p));
  }
}
