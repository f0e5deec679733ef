package org.orphanreaper.evidence;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.orphanreaper.proc.Snapshot;

/** One batch system's knowledge of which processes belong to which jobs. */
public interface EvidenceProvider {

  /** "slurm", "gridengine". */
  String name();

  /**
   * The marks of the given processes (whose details the snapshot holds). An empty map means
   * "none of them belongs to a job", so a provider that cannot tell must throw instead, or mark
   * the processes it cannot judge UNKNOWN and say why in {@link #problems()}.
   */
  Map<Integer, List<JobMark>> collect(Snapshot s, Collection<Integer> pids)
      throws EvidenceUnavailable;

  /**
   * The processes this provider knows to belong to a running job without reading anything of
   * theirs (Slurm's {@code scontrol listpids}), and which {@link #collect} marks as running
   * while the batch system reports a running job. Since a running mark outweighs every other
   * ({@link Evidence#stateOf}), nothing more read of them could change their state, and the run
   * does not read it (at worst a leftover is found one run later). Empty when it cannot tell,
   * a failed command included: the answer only ever spares reads, so it never fails a run.
   */
  default Set<Integer> knownRunning() {
    return Set.of();
  }

  /**
   * What could not be asked so far in this run, one message each ("slurm: scontrol listpids
   * failed ..."). The processes it concerns carry UNKNOWN marks and their families are not
   * judged; the run says these on stderr and syslog and exits non-zero.
   */
  default List<String> problems() {
    return List.of();
  }
}
