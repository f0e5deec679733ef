package org.orphanreaper.tree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;

/** Parent/child index of one snapshot, built in one pass; kernel threads are left out. */
public final class ProcessTree {

  private final Snapshot snapshot;
  /** Children by parent pid, each list in pid order; never handed out. */
  private final Map<Integer, List<Proc>> children;

  public ProcessTree(Snapshot snapshot) {
    this.snapshot = snapshot;
    this.children = new HashMap<>();
    // A scan of a real procfs lists its processes in pid order (the kernel's readdir walks
    // pids upwards, and the scan keeps that order), so the lists come out sorted as they are
    // built; only lists that did not (a fixture's directory order) are sorted afterwards.
    boolean sorted = true;
    for (Proc p : snapshot.processes().values()) {
      sorted &= index(p);
    }
    if (!sorted) {
      for (List<Proc> kids : children.values()) {
        kids.sort(BY_PID);
      }
    }
  }

  private static final Comparator<Proc> BY_PID = Comparator.comparingInt(Proc::pid);

  /**
   * One process into the index; false when it arrived out of pid order among its siblings. A
   * method of its own, not the loop's body: the JIT compiles a method after a few hundred calls,
   * but a loop in a constructor called once only after tens of thousands of rounds, so a big
   * node's tree would be built by the interpreter.
   */
  private boolean index(Proc p) {
    if (p.kernelThread() || p.ppid() == p.pid()) {
      return true;
    }
    List<Proc> kids = children.get(p.ppid());
    if (kids == null) {
      kids = new ArrayList<>(2);
      children.put(p.ppid(), kids);
    }
    boolean inOrder = kids.isEmpty() || kids.get(kids.size() - 1).pid() < p.pid();
    kids.add(p);
    return inOrder;
  }

  public Snapshot snapshot() {
    return snapshot;
  }

  /** The children of {@code pid} in pid order: the index's own list, which the walks only read. */
  private List<Proc> kids(int pid) {
    return children.getOrDefault(pid, List.of());
  }

  /**
   * The members below {@code roots} in pre-order with their depth. Processes in {@code stopAt}
   * (init and configured subreapers) are never descended into, and a visited set guards against
   * a cycle that pid reuse between reads could fake.
   */
  public List<Family.Member> descend(List<Proc> roots, Set<Integer> stopAt) {
    List<Family.Member> out = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (Proc root : roots) {
      Deque<Family.Member> stack = new ArrayDeque<>();
      stack.push(new Family.Member(root, 0));
      while (!stack.isEmpty()) {
        Family.Member m = stack.pop();
        if (!seen.add(m.proc().pid())) {
          continue;
        }
        out.add(m);
        if (stopAt.contains(m.proc().pid())) {
          continue;
        }
        List<Proc> kids = kids(m.proc().pid());
        for (int i = kids.size() - 1; i >= 0; i--) {
          stack.push(new Family.Member(kids.get(i), m.depth() + 1));
        }
      }
    }
    return out;
  }

  /** The pids from {@code pid} up to the top of the tree, {@code pid} first. */
  public List<Integer> ancestry(int pid) {
    List<Integer> chain = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    int cur = pid;
    while (cur > 0 && seen.add(cur)) {
      chain.add(cur);
      Proc p = snapshot.processes().get(cur);
      if (p == null) {
        break;
      }
      cur = p.ppid();
    }
    return chain;
  }
}
