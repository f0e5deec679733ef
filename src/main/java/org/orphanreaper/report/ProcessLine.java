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
 * One process as every report shows it.
 *
 * @param uid the real uid, 0 to 4294967295, or -1 when it was not read
 * @param result what happened to it in kill mode, empty in debug mode
 */
public record ProcessLine(
    Proc stat,
    int depth,
    long uid,
    String cmdline,
    Duration cputime,
    Duration walltime,
    Optional<String> result,
    List<Signal> signals) {

  /**
   * The processes of one family: as killed when it was acted on, else as scanned; only the
   * first when the others were not read.
   */
  public static List<ProcessLine> of(Snapshot s, RunReport.FamilyReport f) {
    List<ProcessLine> out = new ArrayList<>();
    if (f.outcome().isPresent()) {
      for (KillOutcome.MemberOutcome m : f.outcome().get().members()) {
        out.add(line(s, m.stat(), m.details(), m.depth(), Optional.of(m.result().label()),
            m.sent()));
      }
    } else {
      List<Family.Member> members = f.decision().family().members();
      for (Family.Member m : f.membersRead() ? members : members.subList(0, 1)) {
        out.add(line(s, m.stat(), s.described(m.stat().pid()), m.depth(), Optional.empty(),
            List.of()));
      }
    }
    return out;
  }

  private static ProcessLine line(
      Snapshot s, Proc p, Optional<Proc> d, int depth, Optional<String> result,
      List<Signal> signals) {
    long uid = d.flatMap(Proc::credentials).map(Credentials::ruid).orElse(-1L);
    String cmd = d.map(Proc::cmdline).filter(c -> !c.isEmpty()).orElse("[" + p.comm() + "]");
    return new ProcessLine(p, depth, uid, cmd, s.cputime(p), s.walltime(p), result, signals);
  }
}
