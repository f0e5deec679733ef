package org.orphanreaper.sink.accounting;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.orphanreaper.act.KillOutcome;
import org.orphanreaper.base.Signal;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.report.ProcessLine;
import org.orphanreaper.report.RunReport;

/** The accounting records of one run: one per member of every family that was acted on. */
public final class AccountingRecords {
  private AccountingRecords() {}

  /** Every record of {@code r}, all with reason code TERM_ORPHAN. */
  public static List<AccountingRecord> of(RunReport r, LongFunction<String> userName) {
    return of(r, userName, f -> ReasonCode.TERM_ORPHAN);
  }

  /**
   * Every record of {@code r}, with the reason code {@code reasonCode} gives each family. Families
   * without a kill outcome (debug mode, report and keep verdicts) have none.
   *
   * @param userName the name of a uid (the number when it has none); never asked for -1
   */
  public static List<AccountingRecord> of(
      RunReport r,
      LongFunction<String> userName,
      Function<RunReport.FamilyReport, ReasonCode> reasonCode) {
    List<AccountingRecord> out = new ArrayList<>();
    for (RunReport.FamilyReport f : r.families()) {
      if (f.outcome().isEmpty()) {
        continue;
      }
      KillOutcome o = f.outcome().get();
      // ProcessLine.of lists an acted-on family member by member, in the outcome's order.
      List<ProcessLine> lines = ProcessLine.of(r.snapshot(), f);
      Verdict v = f.decision().verdict();
      ReasonCode code = reasonCode.apply(f);
      for (int i = 0; i < o.members().size(); i++) {
        KillOutcome.MemberOutcome m = o.members().get(i);
        ProcessLine l = lines.get(i);
        out.add(
            new AccountingRecord(
                r.time(),
                r.host(),
                m.proc().pid(),
                r.snapshot().startTime(m.proc()),
                l.uid(),
                l.uid() < 0 ? Optional.empty() : Optional.of(userName.apply(l.uid())),
                m.proc().sid(),
                o.family().root().pid(),
                m.proc().comm(),
                l.cmdline(),
                l.cputime(),
                l.walltime(),
                v.rule(),
                m.sent().stream().map(Signal::name).toList(),
                AccountingRecord.Result.of(o.status(), m.result()),
                code,
                v.reason()));
      }
    }
    return out;
  }
}
