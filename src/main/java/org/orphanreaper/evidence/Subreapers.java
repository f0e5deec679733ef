package org.orphanreaper.evidence;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.orphanreaper.proc.ProcDetails;
import org.orphanreaper.proc.ProcStat;
import org.orphanreaper.proc.Snapshot;

/**
 * Processes that count as init for the orphan test, when the rules name their executables:
 * {@code systemd --user}, container inits (tini, conmon, Apptainer's starter), any
 * PR_SET_CHILD_SUBREAPER process that adopts what its descendants leave behind. Matching is by
 * the kernel's exe link; a process that fakes one only makes its own orphans visible.
 */
public record Subreapers(List<String> executables) {

  public Subreapers {
    executables = List.copyOf(executables);
  }

  public Set<Integer> find(Snapshot s) {
    Set<Integer> out = new HashSet<>();
    if (executables.isEmpty()) {
      return out;
    }
    for (ProcStat p : s.processes().values()) {
      if (s.detailsOf(p.pid()).flatMap(ProcDetails::exe).map(executables::contains)
          .orElse(false)) {
        out.add(p.pid());
      }
    }
    return out;
  }
}
