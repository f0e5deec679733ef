package org.orphanreaper.report;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.orphanreaper.act.KillOutcome.Result;
import org.orphanreaper.act.KillOutcome.Status;
import org.orphanreaper.act.KillOutcome;
import org.orphanreaper.base.Signal;
import org.orphanreaper.plan.Decision;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.Scanned;

/**
 * A kill run over a fixture procfs, with outcomes built by hand: every verdict and every member
 * result the renderers must handle.
 *
 * <ul>
 *   <li>100 (boinc, uid 5001) and child 101: killed by rule long-running; 100 exited on TERM, 101
 *       needed KILL.
 *   <li>200 (tmux, uid 5002): reported by rule young; never signalled.
 *   <li>300 (uid 5003): kept, no rule.
 *   <li>400 (uid 5004) and zombie child 401: the kill was aborted; 400 spared.
 *   <li>500 (uid 5005) survived KILL; child 501, whose status was unreadable (uid unknown),
 *       vanished before any signal.
 * </ul>
 */
public final class RunFixture {
  private RunFixture() {}

  public static final Instant TIME = Instant.parse("2024-05-01T12:00:00Z");
  public static final String HOST = "wn042";
  public static final List<Signal> TERM_THEN_EXIT = List.of(Signal.STOP, Signal.TERM, Signal.CONT);
  public static final List<Signal> TERM_THEN_KILL =
      List.of(Signal.STOP, Signal.TERM, Signal.CONT, Signal.STOP, Signal.KILL);

  /** The user name function of the fixture: "u" and the uid. */
  public static String userName(long uid) {
    return "u" + uid;
  }

  public static RunReport kill(Path dir) throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(100).comm("boinc").cmdline("boinc --daemon").cpuSeconds(3).ageSeconds(7844).write();
    fp.proc(101).ppid(100).sid(100).cmdline("sleep 600").ageSeconds(7840).write();
    fp.proc(200).uid(5002).comm("tmux").write();
    fp.proc(300).uid(5003).write();
    fp.proc(400).uid(5004).comm("sim").write();
    fp.proc(401).ppid(400).sid(400).uid(5004).state('Z').comm("sim").write();
    fp.proc(500).uid(5005).state('D').comm("dd").cmdline("dd if=/dev/sdz").write();
    fp.proc(501).ppid(500).sid(500).uid(5005).noStatus().write();
    Scanned s = Scanned.of(fp);
    Snapshot snap = s.snapshot();
    Duration ten = Duration.ofSeconds(10);
    return new RunReport(
        HOST,
        TIME,
        true,
        snap,
        List.of(
            killed(
                snap,
                new Decision(
                    s.family(100),
                    new Verdict.Kill(
                        "rule 'long-running': orphaned, parent of root 100 is init; walltime"
                            + " 2h10m44s >= 1h",
                        Signal.TERM,
                        ten,
                        "long-running"), List.of()),
                Status.KILLED,
                new Fate(Result.EXITED, TERM_THEN_EXIT),
                new Fate(Result.KILLED, TERM_THEN_KILL)),
            new RunReport.FamilyReport(
                new Decision(s.family(200), new Verdict.Report("rule 'young': orphaned", "young"), List.of()),
                Optional.empty(),
                true,
                true),
            new RunReport.FamilyReport(
                new Decision(s.family(300), new Verdict.Keep("no rule matched", false), List.of()),
                Optional.empty(),
                true,
                true),
            killed(
                snap,
                new Decision(
                    s.family(400),
                    new Verdict.Kill(
                        "rule 'long-running': orphaned", Signal.TERM, ten, "long-running"), List.of()),
                Status.ABORTED,
                new Fate(Result.SPARED, List.of(Signal.STOP, Signal.CONT)),
                new Fate(Result.ZOMBIE, List.of())),
            killed(
                snap,
                new Decision(
                    s.family(500),
                    new Verdict.Kill(
                        "rule \"stuck\": orphaned\nsecond line", Signal.TERM, ten, "stuck"), List.of()),
                Status.SURVIVED,
                new Fate(Result.SURVIVED, TERM_THEN_KILL),
                new Fate(Result.VANISHED, List.of()))));
  }

  /** What happened to one member. */
  public record Fate(Result result, List<Signal> sent) {}

  private static RunReport.FamilyReport killed(
      Snapshot snap, Decision d, Status status, Fate... fates) {
    List<Family.Member> members = d.family().members();
    if (members.size() != fates.length) {
      throw new IllegalArgumentException("one fate per member");
    }
    List<KillOutcome.MemberOutcome> out = new java.util.ArrayList<>();
    for (int i = 0; i < fates.length; i++) {
      Family.Member m = members.get(i);
      out.add(
          new KillOutcome.MemberOutcome(
              m.proc(),
              m.depth(),
              fates[i].result(),
              fates[i].sent()));
    }
    return new RunReport.FamilyReport(
        d, Optional.of(new KillOutcome(d.family(), out, status, "pidfd", "")), true, true);
  }

  /** {@code run} with other families' reports, as a run in {@code killMode} would report them. */
  public static RunReport with(RunReport run, boolean killMode,
      List<RunReport.FamilyReport> families) {
    return new RunReport(run.host(), run.time(), killMode, run.snapshot(), families);
  }
}
