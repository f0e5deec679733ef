package org.orphanreaper.act;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orphanreaper.proc.Part;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.Proc;
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
  private final Map<Integer, List<Proc>> orphansBySession = new HashMap<>();
  private final List<Proc> bornOrphans = new ArrayList<>();
  private Snapshot bornDescribed;
  private final Map<Pen.Hierarchy, Map<Integer, Optional<String>>> cgroups = new HashMap<>();

  private Rescan(ProcFs procfs, Snapshot snapshot, Set<Integer> inits, Snapshot scanned) {
    this.procfs = procfs;
    this.snapshot = snapshot;
    this.tree = new ProcessTree(snapshot);
    for (Proc p : snapshot.processes().values()) {
      if (!inits.contains(p.ppid()) || p.kernelThread()) {
        continue;
      }
      orphansBySession.computeIfAbsent(p.sid(), s -> new ArrayList<>()).add(p);
      if (bornSince(scanned, p)) {
        bornOrphans.add(p);
      }
    }
  }

  /**
   * Scans /proc now.
   *
   * @param scanned the run's scan: a process it did not see was born since
   */
  static Rescan now(ProcFs procfs, Set<Integer> inits, Snapshot scanned)
      throws ProcUnreadableException {
    return new Rescan(procfs, procfs.scan(), inits, scanned);
  }

  /**
   * Whether {@code p} was born since the run's scan {@code scanned}: that scan did not see this
   * process (no process of its pid, or one of another start time). Not by comparing start
   * times with the scan's latest one: they count clock ticks (10 ms), and a double fork born in
   * the very tick of a process the scan saw was taken for one the scan had seen, and escaped.
   */
  static boolean bornSince(Snapshot scanned, Proc p) {
    Proc seen = scanned.processes().get(p.pid());
    return seen == null || seen.startTicks() != p.startTicks();
  }

  Snapshot snapshot() {
    return snapshot;
  }

  ProcessTree tree() {
    return tree;
  }

  /** Processes whose parent is init and whose session is {@code sid}. */
  List<Proc> orphansIn(int sid) {
    return orphansBySession.getOrDefault(sid, List.of());
  }

  /** Processes re-parented to init that were born after the run's scan. */
  List<Proc> bornOrphans() {
    return bornOrphans;
  }

  /** {@link #bornOrphans} described (credentials, exe, command line), read once. */
  Snapshot bornOrphansDescribed() {
    if (bornDescribed == null) {
      bornDescribed = procfs.readNow(snapshot, bornOrphans.stream().map(Proc::pid).toList(),
          Part.FULL_WITH_CGROUP);
    }
    return bornDescribed;
  }

  /** The cgroup of {@code pid} in {@code h}, read once for this re-scan. */
  Optional<String> cgroupOf(Pen.Hierarchy h, Path procRoot, int pid) {
    return cgroups.computeIfAbsent(h, x -> new HashMap<>())
        .computeIfAbsent(pid, p -> Pen.cgroupOf(h, procRoot, p));
  }
}
