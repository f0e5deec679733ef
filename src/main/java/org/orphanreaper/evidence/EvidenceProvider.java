package org.orphanreaper.evidence;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.orphanreaper.proc.Snapshot;

/** One batch system's knowledge of which processes belong to which jobs. */
public interface EvidenceProvider {

  /** "slurm", "gridengine". */
  String name();

  /**
   * The marks of the given processes (whose details the snapshot holds). An empty map means
   * "none of them belongs to a job", so a provider that cannot tell must throw instead.
   */
  Map<Integer, List<JobMark>> collect(Snapshot s, Collection<Integer> pids)
      throws EvidenceUnavailable;
}
