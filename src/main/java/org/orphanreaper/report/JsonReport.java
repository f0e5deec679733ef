package org.orphanreaper.report;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.LongFunction;
import org.orphanreaper.base.Signal;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.tree.Family;

/**
 * The --json document: schema version 1, every orphaned family, kept ones with their reason. A
 * family's {@code processes} are all its members, except where only the first was read (the hard
 * floor protects the family through it); {@code size} always counts them all.
 */
public final class JsonReport {

  public static final int VERSION = 1;

  private final LongFunction<String> userName;

  public JsonReport(LongFunction<String> userName) {
    this.userName = userName;
  }

  public String render(RunReport r) {
    return render(r, null);
  }

  /**
   * @param signalling how this node's kill mode signals (pidfd or kill(2), and why), written as
   *     the field "signalling" after "mode"; null leaves the field out
   */
  public String render(RunReport r, String signalling) {
    Json j = new Json().beginObject()
        .field("version", VERSION)
        .field("host", r.host())
        .field("time", DateTimeFormatter.ISO_INSTANT.format(r.time()))
        .field("mode", r.mode());
    if (signalling != null) {
      j.field("signalling", signalling);
    }
    j.field("scanned", r.snapshot().processes().size())
        .beginArray("families");
    for (RunReport.FamilyReport f : r.families()) {
      family(j, r, f);
    }
    return j.endArray().endObject().toString();
  }

  private void family(Json j, RunReport r, RunReport.FamilyReport f) {
    Family fam = f.decision().family();
    List<ProcessLine> lines = ProcessLine.of(r.snapshot(), f);
    long uid = lines.get(0).uid();
    j.beginObject()
        .field("root_pid", fam.root().pid())
        .field("sid", fam.sid())
        .field("uid", uid)
        .field("user", uid < 0 ? null : userName.apply(uid))
        .field("action", f.action())
        .field("rule", f.decision().verdict().rule().orElse(null))
        .field("reason", f.decision().verdict().reason())
        .seconds("cputime_s", fam.cputime(r.snapshot()))
        .seconds("walltime_s", fam.walltime(r.snapshot()))
        .field("result", f.result());
    if (f.decision().verdict() instanceof Verdict.Kill k) {
      j.field("signal", k.signal().name());
      j.field("kill_after_s", k.killAfter().toSeconds());
    }
    f.outcome().ifPresent(o -> j.field("mechanism", o.mechanism()).field("note", o.note()));
    j.field("size", fam.size()).beginArray("processes");
    for (ProcessLine l : lines) {
      j.beginObject()
          .field("pid", l.proc().pid())
          .field("ppid", l.proc().ppid())
          .field("sid", l.proc().sid())
          .field("uid", l.uid())
          .field("comm", l.proc().comm())
          .field("cmdline", l.cmdline())
          .seconds("cputime_s", l.cputime())
          .seconds("walltime_s", l.walltime())
          .field("state", String.valueOf(l.proc().state()));
      if (l.result().isPresent()) {
        j.field("result", l.result().get()).beginArray("signals");
        for (Signal s : l.signals()) {
          j.value(s.name());
        }
        j.endArray();
      }
      j.endObject();
    }
    j.endArray().endObject();
  }
}
