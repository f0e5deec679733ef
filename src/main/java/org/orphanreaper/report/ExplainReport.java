package org.orphanreaper.report;

import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import org.orphanreaper.base.SizeSyntax;
import org.orphanreaper.base.TimeFormat;
import org.orphanreaper.plan.Explanation;
import org.orphanreaper.plan.Step;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.proc.Credentials;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.rules.Matcher;
import org.orphanreaper.rules.Trail;
import org.orphanreaper.tree.Family;

/**
 * Renders an {@link Explanation} as text, process and account text escaped ({@link Escape}), or
 * as a JSON document (schema version 1).
 */
public final class ExplainReport {

  private final LongFunction<String> userName;

  public ExplainReport(LongFunction<String> userName) {
    this.userName = userName;
  }

  public String text(Snapshot s, Explanation e, String rulesSource) {
    StringBuilder b = new StringBuilder();
    Proc p = e.process();
    b.append("pid ").append(p.pid()).append(" (").append(Escape.text(p.comm())).append("), ")
        .append(user(s, p.pid())).append(", session ").append(p.sid()).append(", state ")
        .append(p.state()).append(", cputime ").append(TimeFormat.clock(s.cputime(p)))
        .append(", walltime ").append(TimeFormat.clock(s.walltime(p))).append('\n');
    s.described(p.pid()).map(Proc::cmdline).filter(c -> !c.isEmpty())
        .ifPresent(c -> b.append("  cmdline: ").append(Escape.text(c)).append('\n'));
    b.append("ancestry: ");
    String sep = "";
    for (Proc a : e.ancestry()) {
      b.append(sep).append(a.pid()).append(' ').append(Escape.text(a.comm()));
      sep = " <- ";
    }
    b.append('\n');
    e.family().ifPresent(f -> b.append("family: sid ").append(f.sid()).append(", root")
        .append(f.rootPids().size() == 1 ? " " : "s ").append(f.rootPids())
        .append(", ").append(f.size()).append(" process").append(f.size() == 1 ? "" : "es")
        .append(", cputime ").append(TimeFormat.clock(f.cputime(s)))
        .append(", walltime ").append(TimeFormat.clock(f.walltime(s)))
        .append(", rss ").append(SizeSyntax.format(f.rss(s))).append('\n'));
    b.append("orphaned: ").append(Escape.text(e.orphaned())).append('\n');
    for (Step step : e.steps()) {
      step(b, step, e, rulesSource);
    }
    b.append("decision: ").append(Escape.text(decision(e))).append('\n');
    return b.toString();
  }

  /** One step's lines; a step that says nothing beyond the decision line prints none. */
  private static void step(StringBuilder b, Step step, Explanation e, String rulesSource) {
    if (step instanceof Step.Floor) {
      // A running job has always been shown on the floor's line: no rule can override it either.
      b.append("hard floor: ").append(protectedBy(e)
          .map(x -> "protects it: " + Escape.text(x)).orElse("passes")).append('\n');
    } else if (step instanceof Step.AllVanished) {
      b.append("vanished: every member exited during the scan; judged like any other (a pid"
          + " hopper looks the same): a kill takes what its session holds by then, or reports"
          + " the family vanished\n");
    } else if (step instanceof Step.Thresholds t) {
      b.append("command line: keeps it: ").append(Escape.text(t.keeps())).append('\n');
    } else if (step instanceof Step.Rules r) {
      rules(b, r.trail(), rulesSource);
    } else if (step instanceof Step.GracePeriod g) {
      b.append("grace: ").append(Escape.text(grace(g))).append('\n');
    } else if (step instanceof Step.HeldBack h) {
      b.append("circuit breaker: holds it back: ").append(Escape.text(h.why())).append('\n');
    }
    // RunningJob is on the floor's line, Unjudged in the decision's.
  }

  /** What the hard floor or a running job protects the family for, or empty. */
  private static Optional<String> protectedBy(Explanation e) {
    return e.step(Step.Floor.class).flatMap(Step.Floor::protects)
        .or(() -> e.step(Step.RunningJob.class).map(Step.RunningJob::job));
  }

  private static void rules(StringBuilder b, Trail t, String rulesSource) {
    b.append("rules from ").append(rulesSource).append(" (protect first, then first match):\n");
    for (Trail.Step step : t.steps()) {
      b.append("  ").append(step.section()).append(" #").append(step.index()).append(' ')
          .append(Escape.text(step.name())).append(": ").append(step.result().truth().word())
          .append('\n');
      if (step.result().checks().isEmpty()) {
        b.append("      (no matcher: matches every family)\n");
      }
      for (Matcher.Check c : step.result().checks()) {
        b.append("      ").append(Escape.text(c.detail())).append(" -> ")
            .append(c.truth().word()).append('\n');
      }
    }
    if (t.finding() instanceof Trail.NoMatch) {
      b.append("  no rule matched\n");
    }
  }

  /** Where the family stands in its rule's grace, with the time left. */
  private static String grace(Step.GracePeriod g) {
    String rule = "rule '" + g.rule() + "'";
    if (g.grace().isZero()) {
      return "none for " + rule + ": it acts on the first sighting";
    }
    StringBuilder b = new StringBuilder(g.over() ? "over: " : "keeps it: ");
    g.stateProblem().ifPresent(p -> b.append("the grace state could not be used (").append(p)
        .append("): "));
    b.append(rule).append(" has selected it for ").append(g.waited().getSeconds())
        .append("s of its ").append(g.grace().getSeconds()).append("s (first seen ")
        .append(g.remembered() ? g.since().toString() : "now: the grace state does not hold it")
        .append(')');
    if (!g.over()) {
      b.append("; ").append(g.left().getSeconds()).append("s left, acted on from ")
          .append(g.actedOnFrom());
    }
    return b.toString();
  }

  public String json(Snapshot s, Explanation e, String rulesSource) {
    Proc p = e.process();
    Json j = new Json().beginObject()
        .field("version", JsonReport.VERSION)
        .field("pid", p.pid())
        .field("comm", p.comm())
        .field("uid", uid(s, p.pid()))
        .field("sid", p.sid())
        .field("state", String.valueOf(p.state()))
        .field("cmdline", s.described(p.pid()).map(Proc::cmdline).orElse(null))
        .beginArray("ancestry");
    for (Proc a : e.ancestry()) {
      j.beginObject().field("pid", a.pid()).field("comm", a.comm()).endObject();
    }
    j.endArray();
    if (e.family().isPresent()) {
      Family f = e.family().get();
      j.field("family_sid", f.sid()).field("family_root", f.root().pid())
          .field("family_size", f.size())
          .field("family_cputime_s", f.cputime(s).getSeconds())
          .field("family_walltime_s", f.walltime(s).getSeconds())
          .field("family_rss_bytes", f.rss(s));
    }
    j.field("orphaned", e.family().isPresent()).field("orphaned_reason", e.orphaned())
        .field("floor", protectedBy(e).orElse(null))
        .field("thresholds", e.step(Step.Thresholds.class).map(Step.Thresholds::keeps)
            .orElse(null))
        .field("rules_source", rulesSource);
    j.beginArray("steps");
    for (Trail.Step step : e.step(Step.Rules.class).map(r -> r.trail().steps())
        .orElse(List.of())) {
      j.beginObject().field("section", step.section()).field("index", step.index())
          .field("name", step.name()).field("result", step.result().truth().word())
          .beginArray("checks");
      for (Matcher.Check c : step.result().checks()) {
        j.beginObject().field("matcher", c.key()).field("result", c.truth().word())
            .field("detail", c.detail()).endObject();
      }
      j.endArray().endObject();
    }
    j.endArray();
    // Fields of the steps only some families take: absent, not null, where they were not taken.
    for (Step step : e.steps()) {
      if (step instanceof Step.AllVanished) {
        j.field("all_vanished", true);
      } else if (step instanceof Step.GracePeriod g) {
        j.field("grace_rule", g.rule()).field("grace_s", g.grace().getSeconds())
            .field("grace_waited_s", g.waited().getSeconds())
            .field("grace_left_s", g.left().getSeconds())
            .field("grace_first_seen", g.remembered() ? g.since().toString() : null)
            .field("grace_state_problem", g.stateProblem().orElse(null));
      } else if (step instanceof Step.HeldBack h) {
        j.field("held_back", h.why());
      }
    }
    Verdict v = e.verdict();
    j.field("action", v instanceof Verdict.Kill ? "kill"
        : v instanceof Verdict.Report ? "report" : "keep")
        .field("rule", v.rule().orElse(null))
        .field("reason", v.reason());
    if (v instanceof Verdict.Kill k) {
      j.field("signal", k.signal().name()).field("kill_after_s", k.killAfter().toSeconds());
    }
    return j.endObject().toString();
  }

  private static String decision(Explanation e) {
    Verdict v = e.verdict();
    if (v instanceof Verdict.Kill k) {
      String kill = "kill with " + k.signal() + (k.signal() == org.orphanreaper.base.Signal.KILL
          ? "" : ", then KILL after " + k.killAfter().toSeconds() + "s") + " (" + k.reason() + ")";
      return e.step(Step.HeldBack.class).isPresent()
          ? "held back by the circuit breaker: kill mode kills nothing; the plan would " + kill
          : kill;
    }
    if (v instanceof Verdict.Report r) {
      return "report only, never signal (" + r.reason() + ")";
    }
    return "keep (" + v.reason() + ")";
  }

  private static long uid(Snapshot s, int pid) {
    return s.get(pid).flatMap(Proc::credentials).map(Credentials::ruid).orElse(-1L);
  }

  private String user(Snapshot s, int pid) {
    long uid = uid(s, pid);
    return uid < 0 ? "user unknown" : "user " + Escape.text(userName.apply(uid)) + " (uid "
        + uid + ")";
  }
}
