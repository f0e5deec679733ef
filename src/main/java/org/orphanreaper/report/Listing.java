package org.orphanreaper.report;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.orphanreaper.base.TimeFormat;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.tree.Family;

/**
 * The human listing: each selected family as a {@code ps --forest}-like table with the reason it
 * was selected, then a one-line summary. Kept families are listed too when asked for.
 */
public final class Listing {

  private static final String HEADER =
      String.format("%8s %8s %8s %-12s %11s %11s %s", "PID", "PPID", "SID", "USER", "CPUTIME",
          "WALLTIME", "COMMAND");

  private final LongFunction<String> userName;

  public Listing(LongFunction<String> userName) {
    this.userName = userName;
  }

  public String render(RunReport r, boolean includeKept) {
    StringBuilder b = new StringBuilder();
    for (RunReport.FamilyReport f : r.families()) {
      if (f.selected() || f.reported() || includeKept) {
        family(b, r, f);
      }
    }
    b.append(summary(r)).append('\n');
    return b.toString();
  }

  /** The closing line, e.g. "debug: scanned 312 processes, 5 orphaned families: ...". */
  public String summary(RunReport r) {
    int procs = r.selected().stream().mapToInt(f -> f.decision().family().size()).sum();
    StringBuilder b = new StringBuilder();
    b.append(r.mode()).append(": scanned ").append(r.snapshot().processes().size())
        .append(" processes, ").append(r.families().size()).append(" orphaned famil")
        .append(r.families().size() == 1 ? "y" : "ies").append("; ")
        .append(r.killMode() ? "acted on " : "would kill ").append(r.selected().size())
        .append(" (").append(procs).append(" process").append(procs == 1 ? "" : "es")
        .append("), ").append(r.killMode() ? "reported " : "would report ")
        .append(r.reported().size()).append(", kept ").append(r.kept().size());
    Map<String, Integer> why = new TreeMap<>();
    for (RunReport.FamilyReport f : r.kept()) {
      Verdict.Keep k = (Verdict.Keep) f.decision().verdict();
      why.merge(k.protectedBy() ? "protected" : "not selected", 1, Integer::sum);
    }
    if (!why.isEmpty()) {
      b.append(" (");
      String sep = "";
      for (Map.Entry<String, Integer> e : why.entrySet()) {
        b.append(sep).append(e.getValue()).append(' ').append(e.getKey());
        sep = ", ";
      }
      b.append(')');
    }
    if (r.killMode() && r.survivors() > 0) {
      b.append("; ").append(r.survivors()).append(" survivor(s)");
    }
    return b.toString();
  }

  private void family(StringBuilder b, RunReport r, RunReport.FamilyReport f) {
    Family fam = f.decision().family();
    List<ProcessLine> lines = ProcessLine.of(r.snapshot(), f);
    long uid = lines.get(0).uid();
    int size = f.membersRead() ? lines.size() : fam.size();
    b.append("family sid ").append(fam.sid()).append(", user ").append(user(uid))
        .append(", ").append(size).append(" process").append(size == 1 ? "" : "es")
        .append(", cputime ").append(TimeFormat.clock(fam.cputime(r.snapshot())))
        .append(", walltime ").append(TimeFormat.clock(fam.walltime(r.snapshot())))
        .append(": ").append(f.result()).append('\n');
    b.append("  reason: ").append(Escape.text(f.decision().verdict().reason())).append('\n');
    if (f.reported()) {
      b.append("  action: report only, never signalled\n");
    }
    if (f.decision().verdict() instanceof Verdict.Kill k) {
      b.append("  signal: ").append(k.signal());
      if (k.signal() != org.orphanreaper.base.Signal.KILL) {
        b.append(", then KILL after ").append(k.killAfter().toSeconds()).append('s');
      }
      b.append('\n');
    }
    f.outcome().filter(o -> !o.note().isEmpty())
        .ifPresent(o -> b.append("  note: ").append(Escape.text(o.note())).append('\n'));
    b.append("  ").append(HEADER).append(f.outcome().isPresent() ? "  RESULT" : "").append('\n');
    for (ProcessLine l : lines) {
      // The header's columns, padded by hand: String.format per line took ~20 us on a cold
      // JVM, ~50 ms of a 20,000-process node's preview.
      b.append("  ");
      right(b, Integer.toString(l.proc().pid()), 8).append(' ');
      right(b, Integer.toString(l.proc().ppid()), 8).append(' ');
      right(b, Integer.toString(l.proc().sid()), 8).append(' ');
      left(b, user(l.uid()), 12).append(' ');
      right(b, TimeFormat.clock(l.cputime()), 11).append(' ');
      right(b, TimeFormat.clock(l.walltime()), 11).append(' ');
      b.append("  ".repeat(l.depth())).append(l.depth() > 0 ? "\\_ " : "")
          .append(Escape.text(l.cmdline()));
      l.result().ifPresent(res -> b.append("  [").append(res).append(']'));
      b.append('\n');
    }
    if (lines.size() < size) {
      int more = fam.size() - lines.size();
      b.append("  (").append(more).append(" more below it, not read: the family is protected"
          + " through its first process)\n");
    }
    b.append('\n');
  }

  /** {@code s} right-aligned in {@code width} columns, as {@code %WIDTHs} would print it. */
  private static StringBuilder right(StringBuilder b, String s, int width) {
    for (int i = s.length(); i < width; i++) {
      b.append(' ');
    }
    return b.append(s);
  }

  /** {@code s} left-aligned in {@code width} columns, as {@code %-WIDTHs} would print it. */
  private static StringBuilder left(StringBuilder b, String s, int width) {
    b.append(s);
    for (int i = s.length(); i < width; i++) {
      b.append(' ');
    }
    return b;
  }

  private String user(long uid) {
    return uid < 0 ? "?" : Escape.text(userName.apply(uid));
  }
}
