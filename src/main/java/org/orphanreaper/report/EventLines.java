package org.orphanreaper.report;

import java.util.List;
import java.util.function.LongFunction;
import java.util.stream.Collectors;
import org.orphanreaper.act.KillOutcome;
import org.orphanreaper.base.TimeFormat;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.tree.Family;

/**
 * The one-line records of a kill run, as they go to syslog (and to stdout unless --quiet):
 * key=value pairs so a central log host can parse them. Text from processes and accounts is
 * escaped ({@link Escape}): a value with a space or quote is quoted, and no value can end the
 * line or the pair.
 */
public final class EventLines {

  private final LongFunction<String> userName;

  public EventLines(LongFunction<String> userName) {
    this.userName = userName;
  }

  /** One line for a family that was acted on or reported. */
  public String family(RunReport r, RunReport.FamilyReport f) {
    Family fam = f.decision().family();
    List<ProcessLine> lines = ProcessLine.of(r.snapshot(), f);
    long uid = lines.get(0).uid();
    Verdict v = f.decision().verdict();
    StringBuilder b = new StringBuilder();
    b.append(f.result()).append(" family sid=").append(fam.sid())
        .append(" root=").append(fam.root().pid())
        .append(" user=").append(uid < 0 ? "?" : Escape.value(userName.apply(uid)))
        .append(" uid=").append(uid)
        .append(" pids=").append(lines.stream().map(l -> Integer.toString(l.proc().pid()))
            .collect(Collectors.joining(",")))
        .append(" cputime=").append(TimeFormat.clock(fam.cputime(r.snapshot())))
        .append(" walltime=").append(TimeFormat.clock(fam.walltime(r.snapshot())))
        .append(" rule=").append(v.rule().map(Escape::value).orElse("-"));
    if (v instanceof Verdict.Kill k) {
      b.append(" signal=").append(k.signal());
    }
    f.outcome().ifPresent(o -> {
      b.append(" via=").append(o.mechanism());
      List<KillOutcome.MemberOutcome> survivors = o.survivors();
      if (!survivors.isEmpty()) {
        b.append(" survivors=").append(survivors.stream()
            .map(m -> Integer.toString(m.proc().pid())).collect(Collectors.joining(",")));
      }
    });
    b.append(" command=\"").append(Escape.quoted(lines.get(0).cmdline())).append('"')
        .append(" reason=\"").append(Escape.quoted(v.reason())).append('"');
    f.outcome().filter(o -> !o.note().isEmpty())
        .ifPresent(o -> b.append(" note=\"").append(Escape.quoted(o.note())).append('"'));
    return b.toString();
  }

  /** The closing line of a run that acted on something. */
  public String summary(RunReport r) {
    long killed = r.selected().stream()
        .flatMap(f -> f.outcome().stream())
        .flatMap(o -> o.members().stream())
        .filter(m -> m.result() == KillOutcome.Result.EXITED
            || m.result() == KillOutcome.Result.KILLED)
        .count();
    return "run mode=" + r.mode() + " scanned=" + r.snapshot().processes().size()
        + " families=" + r.families().size() + " acted=" + r.selected().size()
        + " reported=" + r.reported().size() + " kept=" + r.kept().size() + " processes_ended=" + killed
        + " survivors=" + r.survivors();
  }
}
