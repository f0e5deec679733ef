package org.orphanreaper.plan;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The run-level safety limit: a plan that would kill more families than {@code maxFamilies}, or
 * more than {@code maxFraction} of the node's user processes, kills nothing. A wrong rule must
 * not empty a node; a human decides whether it was right.
 *
 * @param checkFraction false for an epilogue, whose purpose is to clear an ended job's leftovers
 *     from a node that may hold nothing else
 */
public record CircuitBreaker(int maxFamilies, double maxFraction, boolean checkFraction) {

  /**
   * Why the plan must not be carried out ("the plan would kill ..."), or empty. What follows
   * from it (nothing was killed, kill mode would kill nothing) is for the caller to say.
   *
   * @param kills the plan's kills
   * @param userProcesses processes of uids at or above the minimum on the node
   */
  public Optional<String> trips(List<Decision> kills, int userProcesses) {
    int families = kills.size();
    if (families > maxFamilies) {
      return Optional.of("the plan would kill " + families
          + " families, more than max_kills_per_run " + maxFamilies);
    }
    int processes = kills.stream().mapToInt(d -> d.family().size()).sum();
    // 1.0 is off, as documented: a family that forks while it is read can count one member
    // more than the node's processes were counted a moment earlier.
    if (checkFraction && maxFraction < 1.0 && userProcesses > 0
        && processes > maxFraction * userProcesses) {
      return Optional.of(String.format(Locale.ROOT, "the plan would kill %d of the"
          + " node's %d user processes (%.0f%%), more than max_fraction %s", processes,
          userProcesses, 100.0 * processes / userProcesses, Double.toString(maxFraction)));
    }
    return Optional.empty();
  }
}
