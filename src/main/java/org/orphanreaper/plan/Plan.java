package org.orphanreaper.plan;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orphanreaper.proc.Snapshot;

/**
 * The decisions of one run over one snapshot; acting on it is the next stage's job.
 *
 * @param heldBack why the circuit breaker holds the plan back: kill mode then kills nothing, though
 *     the decisions still say what the plan would have killed
 * @param graceState the first sightings of the families a rule would kill, for kill mode to
 *     remember until the next run (empty when no rule waits)
 */
public record Plan(Snapshot snapshot, List<Decision> decisions, Optional<String> heldBack,
    Map<String, Instant> graceState) {

  public Plan {
    decisions = List.copyOf(decisions);
    graceState = Map.copyOf(graceState);
  }

  public List<Decision> kills() {
    return decisions.stream().filter(Decision::kills).toList();
  }
}
