package org.orphanreaper.plan;

import java.util.List;
import java.util.Optional;
import org.orphanreaper.proc.ProcStat;
import org.orphanreaper.rules.Trail;
import org.orphanreaper.tree.Family;

/**
 * The decision trail of one process, for {@code --explain}: its ancestry, its family, whether it is
 * orphaned, what the hard floor, the command-line filters and each rules entry said, and the
 * verdict a run would reach for its family.
 *
 * @param ancestry the process first, up to the top of its tree
 * @param orphaned why it is, or is not, in an orphaned family
 * @param floor why the hard floor protects the family, or empty when it lets it through
 * @param thresholds why -c/-w keep the family, or empty
 * @param trail the rules' evaluation, when the rules were reached
 */
public record Explanation(
    ProcStat process,
    List<ProcStat> ancestry,
    Optional<Family> family,
    String orphaned,
    Optional<String> floor,
    Optional<String> thresholds,
    Optional<Trail> trail,
    Verdict verdict) {

  public Explanation {
    ancestry = List.copyOf(ancestry);
  }
}
