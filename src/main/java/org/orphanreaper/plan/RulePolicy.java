package org.orphanreaper.plan;

import java.time.Duration;
import java.util.Optional;
import org.orphanreaper.base.Signal;
import org.orphanreaper.base.TimeFormat;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.rules.Evaluator;
import org.orphanreaper.rules.Matcher;
import org.orphanreaper.rules.Rule;
import org.orphanreaper.rules.RuleSet;
import org.orphanreaper.rules.Trail;
import org.orphanreaper.rules.Truth;
import org.orphanreaper.tree.Family;

/**
 * The rules file as a policy, in the parts {@link Planner} takes one after the other: a running
 * job, the command line's thresholds, the batch systems' doubts, the rules. The command-line
 * filters of the standalone script ({@code -c}, {@code -w}) narrow every rule: a family below
 * them is kept whatever the rules say. A rule's own signal and kill_after win over the command
 * line, which wins over the file's defaults.
 */
public record RulePolicy(Evaluator evaluator, Overrides overrides) {

  /**
   * What the command line says; empty or zero where it says nothing.
   *
   * @param epilogue a batch epilogue's run: every stray family that no protect entry or keep rule
   *     spares is killed at once, and KILL follows within {@link #EPILOGUE_KILL_AFTER}
   */
  public record Overrides(
      Optional<Signal> signal, Optional<Duration> killAfter, Duration minCputime,
      Duration minWalltime, boolean epilogue) {
    public static final Overrides NONE =
        new Overrides(Optional.empty(), Optional.empty(), Duration.ZERO, Duration.ZERO, false);
  }

  /** An epilogue holds up the node's next job: its grace before KILL is short. */
  public static final Duration EPILOGUE_KILL_AFTER = Duration.ofSeconds(5);

  /**
   * Why the family cannot be judged: a member's batch system could not say whether it belongs
   * to a running job (scontrol listpids failed, the controller could not be asked about the job
   * its cgroup names). No rule may decide it then: it could be a running job's.
   */
  public Optional<String> unjudged(Family f) {
    for (Family.Member m : f.members()) {
      int pid = m.proc().pid();
      Optional<String> why = evaluator.names().evidence().unknown(pid)
          .map(mark -> "pid " + pid + ": " + mark.system() + " could not tell whether it belongs"
              + " to a running job (" + mark.source() + ")");
      if (why.isPresent()) {
        return why;
      }
    }
    return Optional.empty();
  }

  /**
   * Why the batch system vouches for the family: a member belongs to a running job. Like the
   * hard floor, no rule can override it.
   */
  public Optional<String> legitimate(Snapshot s, Family f) {
    for (Family.Member m : f.members()) {
      int pid = m.proc().pid();
      Optional<String> why = evaluator.names().evidence().running(pid)
          .map(mark -> "pid " + pid + " belongs to " + mark);
      if (why.isPresent()) {
        return why;
      }
    }
    return Optional.empty();
  }

  /** Why the command-line filters keep the family, or empty when it passes them. */
  public Optional<String> belowThresholds(Snapshot s, Family f) {
    Duration cpu = f.cputime(s);
    Duration wall = f.walltime(s);
    if (cpu.compareTo(overrides.minCputime()) < 0) {
      return Optional.of("cputime " + TimeFormat.clock(cpu) + " below --cputime "
          + TimeFormat.clock(overrides.minCputime()));
    }
    if (wall.compareTo(overrides.minWalltime()) < 0) {
      return Optional.of("walltime " + TimeFormat.clock(wall) + " below --walltime "
          + TimeFormat.clock(overrides.minWalltime()));
    }
    return Optional.empty();
  }

  /** The verdict a trail leads to. */
  public Verdict verdict(Trail t, Family f) {
    RuleSet rules = evaluator.rules();
    if (t.finding() instanceof Trail.Protected p) {
      String how = p.truth() == Truth.YES ? "" : " (could not rule it out: a value was unreadable)";
      return new Verdict.Keep("protected by '" + p.entry().name() + "'" + how, true,
          Optional.of(p.entry().name()));
    }
    if (t.finding() instanceof Trail.Undecided u) {
      return new Verdict.Keep("rule '" + u.rule().name() + "' could not be decided: " + u.why(),
          false, Optional.of(u.rule().name()));
    }
    if (overrides.epilogue() && !(t.finding() instanceof Trail.Matched k
        && k.rule().action() == Rule.Action.KEEP)) {
      Duration after = overrides.killAfter().orElse(rules.defaults().killAfter());
      return new Verdict.Kill("epilogue: " + f.why(),
          overrides.signal().orElse(rules.defaults().signal()),
          after.compareTo(EPILOGUE_KILL_AFTER) > 0 ? EPILOGUE_KILL_AFTER : after, "epilogue");
    }
    if (!(t.finding() instanceof Trail.Matched m)) {
      return new Verdict.Keep("no rule matched", false);
    }
    Rule r = m.rule();
    String why = "rule '" + r.name() + "': " + f.why() + checks(t);
    return switch (r.action()) {
      case KILL -> new Verdict.Kill(why,
          r.signal().or(overrides::signal).orElse(rules.defaults().signal()),
          r.killAfter().or(overrides::killAfter).orElse(rules.defaults().killAfter()),
          r.name());
      case REPORT -> new Verdict.Report(why, r.name());
      case KEEP -> new Verdict.Keep("kept by rule '" + r.name() + "'", false,
          Optional.of(r.name()));
    };
  }

  /** The matched rule's checks, short: the family measures and who held the member matchers. */
  private static String checks(Trail t) {
    StringBuilder b = new StringBuilder();
    Trail.Step last = t.steps().get(t.steps().size() - 1);
    for (Matcher.Check c : last.result().checks()) {
      String d = c.detail();
      int cut = d.indexOf(';');
      b.append("; ").append(cut < 0 ? d : d.substring(0, cut));
    }
    return b.toString();
  }
}
