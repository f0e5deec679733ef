package org.orphanreaper.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.orphanreaper.tree.Family;

/**
 * One family, what to do with it, and the steps that decided it.
 *
 * @param steps in the order {@link Planner} took them, for {@code --explain}
 */
public record Decision(Family family, Verdict verdict, List<Step> steps) {

  public Decision {
    steps = List.copyOf(steps);
  }

  public boolean kills() {
    return verdict instanceof Verdict.Kill;
  }

  /** The step of this kind the decision took, if it took one. */
  public <T extends Step> Optional<T> step(Class<T> kind) {
    return steps.stream().filter(kind::isInstance).map(kind::cast).findFirst();
  }

  /** This decision with one more step, the verdict unchanged. */
  Decision then(Step step) {
    List<Step> more = new ArrayList<>(steps);
    more.add(step);
    return new Decision(family, verdict, more);
  }
}
