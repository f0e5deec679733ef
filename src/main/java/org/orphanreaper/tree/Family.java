package org.orphanreaper.tree;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.orphanreaper.proc.ProcStat;
import org.orphanreaper.proc.Snapshot;

/**
 * The unit of decision, report and kill: the init-parented roots of one session plus every
 * descendant of them, whatever session a descendant moved to, so that nothing is left behind to be
 * orphaned again.
 *
 * @param sid the session whose roots have init as parent (its leader may be long dead)
 * @param rootPids those roots, ascending
 * @param members every member in tree order (pre-order from each root), roots first
 */
public record Family(int sid, List<Integer> rootPids, List<Member> members) {

  /** One member and its depth below its root, for forest-style listings. */
  public record Member(ProcStat stat, int depth) {}

  public Family {
    rootPids = List.copyOf(rootPids);
    members = List.copyOf(members);
  }

  public ProcStat root() {
    return members.get(0).stat();
  }

  public Set<Integer> pids() {
    return members.stream().map(m -> m.stat().pid()).collect(Collectors.toUnmodifiableSet());
  }

  public int size() {
    return members.size();
  }

  /** CPU time used by all members together. */
  public Duration cputime(Snapshot s) {
    return members.stream().map(m -> s.cputime(m.stat())).reduce(Duration.ZERO, Duration::plus);
  }

  /** Resident memory of all members together, in bytes. */
  public long rss(Snapshot s) {
    return members.stream().mapToLong(m -> s.rss(m.stat())).sum();
  }

  /** Age of the oldest member. */
  public Duration walltime(Snapshot s) {
    return members.stream()
        .map(m -> s.walltime(m.stat()))
        .max(Duration::compareTo)
        .orElse(Duration.ZERO);
  }
}
