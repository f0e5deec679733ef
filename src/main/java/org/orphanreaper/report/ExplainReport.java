package org.orphanreaper.report;

import java.util.List;
import java.util.function.LongFunction;
import org.orphanreaper.plan.Explanation;
import org.orphanreaper.plan.TimeFormat;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.proc.Credentials;
import org.orphanreaper.proc.ProcDetails;
import org.orphanreaper.proc.ProcStat;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.rules.Matcher;
import org.orphanreaper.rules.SizeSyntax;
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
    ProcStat p = e.process();
    b.append("pid ").append(p.pid()).append(" (").append(Escape.text(p.comm())).append("), ")
        .append(user(s, p.pid())).append(", session ").append(p.sid()).append(", state ")
        .append(p.state()).append(", cputime ").append(TimeFormat.clock(s.cputime(p)))
        .append(", walltime ").append(TimeFormat.clock(s.walltime(p))).append('\n');
    s.detailsOf(p.pid()).map(ProcDetails::cmdline).filter(c -> !c.isEmpty())
        .ifPresent(c -> b.append("  cmdline: ").append(Escape.text(c)).append('\n'));
    b.append("ancestry: ");
    String sep = "";
    for (ProcStat a : e.ancestry()) {
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
    if (e.family().isPresent()) {
      b.append("hard floor: ").append(e.floor().map(x -> "protects it: " + Escape.text(x)).orElse("passes"))
          .append('\n');
    }
    e.thresholds().ifPresent(t -> b.append("command line: keeps it: ").append(Escape.text(t)).append('\n'));
    e.trail().ifPresent(t -> {
      b.append("rules from ").append(rulesSource).append(" (protect first, then first match):\n");
      for (Trail.Step step : t.steps()) {
        b.append("  ").append(step.section()).append(" #").append(step.index()).append(' ')
            .append(Escape.text(step.name())).append(": ").append(step.result().truth().word()).append('\n');
        if (step.result().checks().isEmpty()) {
          b.append("      (no matcher: matches every family)\n");
        }
        for (Matcher.Check c : step.result().checks()) {
          b.append("      ").append(Escape.text(c.detail())).append(" -> ").append(c.truth().word())
              .append('\n');
        }
      }
      if (t.finding() instanceof Trail.NoMatch) {
        b.append("  no rule matched\n");
      }
    });
    b.append("decision: ").append(Escape.text(decision(e.verdict()))).append('\n');
    return b.toString();
  }

  public String json(Snapshot s, Explanation e, String rulesSource) {
    ProcStat p = e.process();
    Json j = new Json().beginObject()
        .field("version", JsonReport.VERSION)
        .field("pid", p.pid())
        .field("comm", p.comm())
        .field("uid", uid(s, p.pid()))
        .field("sid", p.sid())
        .field("state", String.valueOf(p.state()))
        .field("cmdline", s.detailsOf(p.pid()).map(ProcDetails::cmdline).orElse(null))
        .beginArray("ancestry");
    for (ProcStat a : e.ancestry()) {
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
        .field("floor", e.floor().orElse(null))
        .field("thresholds", e.thresholds().orElse(null))
        .field("rules_source", rulesSource);
    j.beginArray("steps");
    for (Trail.Step step : e.trail().map(Trail::steps).orElse(List.of())) {
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

  private static String decision(Verdict v) {
    if (v instanceof Verdict.Kill k) {
      return "kill with " + k.signal() + (k.signal() == org.orphanreaper.act.Signal.KILL ? ""
          : ", then KILL after " + k.killAfter().toSeconds() + "s") + " (" + k.reason() + ")";
    }
    if (v instanceof Verdict.Report r) {
      return "report only, never signal (" + r.reason() + ")";
    }
    return "keep (" + v.reason() + ")";
  }

  private static long uid(Snapshot s, int pid) {
    return s.detailsOf(pid).flatMap(ProcDetails::credentials).map(Credentials::ruid).orElse(-1L);
  }

  private String user(Snapshot s, int pid) {
    long uid = uid(s, pid);
    return uid < 0 ? "user unknown" : "user " + Escape.text(userName.apply(uid)) + " (uid "
        + uid + ")";
  }
}
