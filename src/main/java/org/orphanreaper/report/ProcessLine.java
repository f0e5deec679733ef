package org.orphanreaper.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.orphanreaper.act.KillOutcome;
import org.orphanreaper.base.Signal;
import org.orphanreaper.proc.Credentials;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;

/**
 * One process as every report shows it: the process, its place in its family, and its times as of
 * the scan (which the snapshot's clock turns into durations).
 *
 * @param result what happened to it in kill mode, empty in debug mode
 */
public record ProcessLine(
    Proc proc,
    int depth,
    Duration cputime,
    Duration walltime,
    Optional<String> result,
    List<Signal> signals) {

  /** The real uid, 0 to 4294967295, or -1 when it was not read. */
  public long uid() {
    return proc.credentials().map(Credentials::ruid).orElse(-1L);
  }

  /** The command line, or the command name in brackets where there is none (as ps shows it). */
  public String cmdline() {
    String argv = proc.cmdline();
    return argv.isEmpty() ? "[" + proc.comm() + "]" : argv;
  }

  /**
   * The processes of one family: as killed when it was acted on, else as scanned; only the
   * first when the others were not read.
   */
  public static List<ProcessLine> of(Snapshot s, RunReport.FamilyReport f) {
    List<ProcessLine> out = new ArrayList<>();
    if (f.outcome().isPresent()) {
      for (KillOutcome.MemberOutcome m : f.outcome().get().members()) {
        out.add(line(s, m.proc(), m.depth(), Optional.of(m.result().label()), m.sent()));
      }
    } else {
      List<Family.Member> members = f.decision().family().members();
      for (Family.Member m : f.membersRead() ? members : members.subList(0, 1)) {
        out.add(line(s, m.proc(), m.depth(), Optional.empty(), List.of()));
      }
    }
    return out;
  }

  private static ProcessLine line(
      Snapshot s, Proc p, int depth, Optional<String> result, List<Signal> signals) {
    return new ProcessLine(p, depth, s.cputime(p), s.walltime(p), result, signals);
  }
}
