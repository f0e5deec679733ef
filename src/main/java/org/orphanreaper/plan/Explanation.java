package org.orphanreaper.plan;

import java.util.List;
import java.util.Optional;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.tree.Family;

/**
 * The decision trail of one process, for {@code --explain}: its ancestry, whether it is orphaned
 * and, when it is in a family, the decision the run's plan holds for that family, with the steps
 * that led there (hard floor, running job, command-line filters, the rules, grace, the circuit
 * breaker).
 *
 * @param ancestry the process first, up to the top of its tree
 * @param orphaned why it is, or is not, in an orphaned family
 * @param decision its family's, from the plan; empty when it is in no family
 */
public record Explanation(
    Proc process, List<Proc> ancestry, String orphaned, Optional<Decision> decision) {

  public Explanation {
    ancestry = List.copyOf(ancestry);
  }

  public Optional<Family> family() {
    return decision.map(Decision::family);
  }

  /** The step of this kind its family's decision took, if it took one. */
  public <T extends Step> Optional<T> step(Class<T> kind) {
    return decision.flatMap(d -> d.step(kind));
  }

  public List<Step> steps() {
    return decision.map(Decision::steps).orElse(List.of());
  }

  /** The family's verdict; a process in no family is left alone for the reason it is in none. */
  public Verdict verdict() {
    return decision.map(Decision::verdict).orElseGet(() -> new Verdict.Keep(orphaned, false));
  }
}
