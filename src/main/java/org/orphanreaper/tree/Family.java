package org.orphanreaper.tree;

import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;

/**
 * The unit of decision, report and kill: the roots of one session that were selected (by default
 * those with init as parent) plus every descendant of them, whatever session a descendant moved
 * to, so that nothing is left behind to be orphaned again.
 *
 * @param sid the session of the roots (its leader may be long dead)
 * @param rootPids those roots, ascending
 * @param members every member in tree order (pre-order from each root), roots first
 * @param origin why its roots were selected
 */
public record Family(int sid, List<Integer> rootPids, List<Member> members, Origin origin) {

  /** Why a family is a candidate at all; it goes into reasons and accounting. */
  public enum Origin {
    /** Its roots have init (or a configured subreaper) as parent. */
    ORPHAN("orphaned, parent of ", " is init"),
    /** Its roots descend from no verified anchor (lineage scope). */
    LINEAGE("stray, ", " descends from no batch-system anchor"),
    /** Its roots carry the mark of a job that has ended. */
    JOB_MARK("leftover, ", " carries the mark of an ended job");

    private final String before;
    private final String after;

    Origin(String before, String after) {
      this.before = before;
      this.after = after;
    }

    /** E.g. "orphaned, parent of root 42 is init" (built by hand: once per family per run). */
    public String describe(List<Integer> roots) {
      StringBuilder b = new StringBuilder(before).append(roots.size() == 1 ? "root " : "roots ");
      for (int i = 0; i < roots.size(); i++) {
        b.append(i == 0 ? "" : ",").append(roots.get(i));
      }
      return b.append(after).toString();
    }
  }

  public Family(int sid, List<Integer> rootPids, List<Member> members) {
    this(sid, rootPids, members, Origin.ORPHAN);
  }

  /** One member and its depth below its root, for forest-style listings. */
  public record Member(Proc proc, int depth) {}

  /** Why it is a candidate, e.g. "orphaned, parent of root 42 is init". */
  public String why() {
    return origin.describe(rootPids);
  }

  public Family {
    rootPids = List.copyOf(rootPids);
    members = List.copyOf(members);
  }

  public Proc root() {
    return members.get(0).proc();
  }

  public Set<Integer> pids() {
    Set<Integer> out = new HashSet<>(members.size() * 2);
    for (Member m : members) {
      out.add(m.proc().pid());
    }
    return Collections.unmodifiableSet(out);
  }

  public int size() {
    return members.size();
  }

  // The measures below are loops, not streams: they run several times for every family (rules,
  // thresholds, reports), and a cold JVM interprets a stream pipeline's many calls.

  /** CPU time used by all members together. */
  public Duration cputime(Snapshot s) {
    Duration sum = Duration.ZERO;
    for (Member m : members) {
      sum = sum.plus(s.cputime(m.proc()));
    }
    return sum;
  }

  /** Resident memory of all members together, in bytes. */
  public long rss(Snapshot s) {
    long sum = 0;
    for (Member m : members) {
      sum += s.rss(m.proc());
    }
    return sum;
  }

  /** Age of the oldest member. */
  public Duration walltime(Snapshot s) {
    Duration oldest = Duration.ZERO;
    for (Member m : members) {
      Duration w = s.walltime(m.proc());
      if (w.compareTo(oldest) > 0) {
        oldest = w;
      }
    }
    return oldest;
  }
}
