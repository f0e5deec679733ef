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

  /**
   * The processes whose exe must be read to find the subreapers: those named like one (the
   * kernel's comm is the executable's name, cut to 15 characters), so a run does not read the
   * details of every process.
   */
  public Set<Integer> candidates(Snapshot s) {
    Set<String> names = new HashSet<>();
    for (String e : executables) {
      String base = e.substring(e.lastIndexOf('/') + 1);
      names.add(base.length() > 15 ? base.substring(0, 15) : base);
    }
    Set<Integer> out = new HashSet<>();
    if (names.isEmpty()) {
      return out; // none configured (the default): no need to look at every process
    }
    for (ProcStat p : s.processes().values()) {
      if (names.contains(p.comm())) {
        out.add(p.pid());
      }
    }
    return out;
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
