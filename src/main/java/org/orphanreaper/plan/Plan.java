package org.orphanreaper.plan;

import java.util.List;
import org.orphanreaper.proc.Snapshot;

/** The decisions of one run over one snapshot; acting on it is the next stage's job. */
public record Plan(Snapshot snapshot, List<Decision> decisions) {
  public Plan {
    decisions = List.copyOf(decisions);
  }

  public List<Decision> kills() {
    return decisions.stream().filter(Decision::kills).toList();
  }
}
