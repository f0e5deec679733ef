package org.orphanreaper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.orphanreaper.base.IoProblem;
import org.orphanreaper.plan.Grace;
import org.orphanreaper.plan.Plan;
import org.orphanreaper.sink.GraceStateFile;
import org.orphanreaper.rules.RuleSet;

/** The grace state of a run: the first sightings read before the plan, saved after it. */
final class GraceKeeping {

  private final Reaper.Environment env;
  private final Options o;
  private final PrintWriter err;

  GraceKeeping(Reaper.Environment env, Options o, PrintWriter err) {
    this.env = env;
    this.o = o;
    this.err = err;
  }

  /**
   * The first sightings of families in their grace, read only when a rule waits. A state that
   * cannot be read restarts every grace (never shortens one).
   *
   * @param replacing whether this run writes the state afterwards (kill mode)
   */
  static Grace read(Options o, RuleSet rules, boolean replacing) {
    if (!Grace.used(rules)) {
      return Grace.none(Instant.now());
    }
    GraceStateFile.Loaded loaded = new GraceStateFile(o.state()).read(replacing);
    return new Grace(loaded.firstSeen(), Instant.now(), loaded.problem());
  }

  /**
   * Kill mode remembers the plan's first sightings; a state that could not be read or written
   * is reported. One that cannot be written (a full or read-only /var) keeps every family first
   * seen from now on in its grace for as long as that lasts: said with what it means, and the
   * run exits 4, while the families outside every grace are acted on as usual.
   *
   * @return false when kill mode could not save the sightings
   */
  boolean remember(Plan plan, Grace grace, boolean kill, Map<String, Integer> errors) {
    List<String> problems = new ArrayList<>();
    grace.stateProblem().ifPresent(problems::add);
    boolean saved = true;
    if (kill) {
      try {
        new GraceStateFile(o.state()).write(plan.graceState());
      } catch (IOException e) {
        saved = false;
        problems.add("cannot write grace state " + o.state() + ": " + IoProblem.describe(e)
            + "; grace cannot be counted: nothing under a grace will be killed until "
            + o.state().toAbsolutePath().getParent() + " is writable"
            + (grace.firstSeen().isEmpty() ? "" : " (families first seen in earlier runs"
                + " still count)"));
      }
    }
    if (!problems.isEmpty()) {
      errors.merge("state", problems.size(), Integer::sum);
      Problems.say(env, o, err, kill, problems);
    }
    return saved;
  }
}
