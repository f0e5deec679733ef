package org.orphanreaper.tree;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;

/**
 * Finds orphaned families. Processes are grouped by session id, not by session leader, because a
 * double-forked daemon's leader is dead. A session's roots are its members whose parent is not in
 * the same session; a root whose parent is init makes the session orphaned.
 */
public final class FamilyFinder {

  private final Set<Integer> inits;

  /** @param inits pids that count as init for the orphan test: 1, plus configured subreapers */
  public FamilyFinder(Set<Integer> inits) {
    this.inits = Set.copyOf(inits);
  }

  public static FamilyFinder initOnly() {
    return new FamilyFinder(Set.of(Snapshot.INIT_PID));
  }

  public List<Family> orphans(ProcessTree tree) {
    Snapshot s = tree.snapshot();
    Map<Integer, List<Proc>> rootsBySid = new TreeMap<>();
    for (Proc p : s.processes().values()) {
      if (isOrphanedRoot(s, p)) {
        rootsBySid.computeIfAbsent(p.sid(), k -> new ArrayList<>()).add(p);
      }
    }
    List<Family> families = new ArrayList<>();
    for (Map.Entry<Integer, List<Proc>> e : rootsBySid.entrySet()) {
      List<Proc> roots = e.getValue();
      roots.sort(Comparator.comparingInt(Proc::pid));
      families.add(new Family(e.getKey(), pidsOf(roots), tree.descend(roots, inits)));
    }
    families.sort(Comparator.comparingInt(f -> f.root().pid()));
    return families;
  }

  /**
   * Families around chosen processes: a chosen process whose parent is not chosen is a root,
   * roots are grouped by session, and each family takes every descendant of its roots.
   *
   * @param exclude processes already in another family, which are neither roots nor members
   */
  public List<Family> around(ProcessTree tree, Set<Integer> chosen, Set<Integer> exclude,
      Family.Origin origin) {
    Snapshot s = tree.snapshot();
    Map<Integer, List<Proc>> rootsBySid = new TreeMap<>();
    for (int pid : chosen) {
      Proc p = s.processes().get(pid);
      if (p != null && !exclude.contains(pid) && !chosen.contains(p.ppid())
          && !p.kernelThread() && !inits.contains(pid)) {
        rootsBySid.computeIfAbsent(p.sid(), k -> new ArrayList<>()).add(p);
      }
    }
    Set<Integer> stop = new java.util.HashSet<>(inits);
    stop.addAll(exclude);
    List<Family> families = new ArrayList<>();
    for (Map.Entry<Integer, List<Proc>> e : rootsBySid.entrySet()) {
      List<Proc> roots = e.getValue();
      roots.sort(Comparator.comparingInt(Proc::pid));
      List<Family.Member> members = tree.descend(roots, stop).stream()
          .filter(m -> !exclude.contains(m.proc().pid())).toList();
      families.add(new Family(e.getKey(), pidsOf(roots), members, origin));
    }
    families.sort(Comparator.comparingInt(f -> f.root().pid()));
    return families;
  }

  /** A loop, not a stream: once per family, hundreds of times a run on a cold JVM. */
  private static List<Integer> pidsOf(List<Proc> roots) {
    List<Integer> pids = new ArrayList<>(roots.size());
    for (Proc p : roots) {
      pids.add(p.pid());
    }
    return pids;
  }

  private boolean isOrphanedRoot(Snapshot s, Proc p) {
    if (p.kernelThread() || inits.contains(p.pid()) || !inits.contains(p.ppid())) {
      return false;
    }
    // A child of init that never left init's session is not a session root.
    Proc parent = s.processes().get(p.ppid());
    return parent == null || parent.sid() != p.sid();
  }
}
