package org.orphanreaper.sink.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.report.RunFixture;
import org.orphanreaper.report.RunReport;
import org.orphanreaper.sink.accounting.AccountingRecord.Result;

class AccountingRecordsTest {

  @TempDir Path dir;

  private List<AccountingRecord> records() throws Exception {
    return AccountingRecords.of(RunFixture.kill(dir), RunFixture::userName);
  }

  private static AccountingRecord pid(List<AccountingRecord> rs, int pid) {
    return rs.stream().filter(r -> r.pid() == pid).findFirst().orElseThrow();
  }

  @Test
  void oneRecordPerMemberOfEveryFamilyActedOnAndNoneForReportedOrKeptOnes() throws Exception {
    assertThat(records())
        .extracting(AccountingRecord::pid)
        .containsExactly(100, 101, 400, 401, 500, 501);
  }

  @Test
  void aKilledRootCarriesItsProcessFactsAndTheVerdict() throws Exception {
    AccountingRecord r = pid(records(), 100);
    Instant boot = Instant.ofEpochSecond(FakeProc.BTIME);
    assertThat(r)
        .isEqualTo(
            new AccountingRecord(
                RunFixture.TIME,
                RunFixture.HOST,
                100,
                boot.plusSeconds(FakeProc.UPTIME_S - 7844),
                5001,
                Optional.of("u5001"),
                100,
                100,
                "boinc",
                "boinc --daemon",
                Duration.ofSeconds(3),
                Duration.ofSeconds(7844),
                Optional.of("long-running"),
                List.of("STOP", "TERM", "CONT"),
                Result.EXITED,
                ReasonCode.TERM_ORPHAN,
                "rule 'long-running': orphaned, parent of root 100 is init; walltime 2h10m44s >="
                    + " 1h"));
  }

  @Test
  void aChildNamesItsFamilyRootAndEverySignalInOrder() throws Exception {
    AccountingRecord r = pid(records(), 101);
    assertThat(r.familyRoot()).isEqualTo(100);
    assertThat(r.sid()).isEqualTo(100);
    assertThat(r.cmdline()).isEqualTo("sleep 600");
    assertThat(r.signals()).containsExactly("STOP", "TERM", "CONT", "STOP", "KILL");
    assertThat(r.result()).isEqualTo(Result.KILLED);
  }

  @Test
  void resultsMapFromMemberResultAndFamilyStatus() throws Exception {
    List<AccountingRecord> rs = records();
    assertThat(pid(rs, 400).result()).isEqualTo(Result.ABORTED);
    assertThat(pid(rs, 401).result()).isEqualTo(Result.ZOMBIE);
    assertThat(pid(rs, 500).result()).isEqualTo(Result.SURVIVED);
    assertThat(pid(rs, 501).result()).isEqualTo(Result.VANISHED);
    assertThat(pid(rs, 401).signals()).isEmpty();
  }

  @Test
  void aSparedMemberOutsideAnAbortedKillStaysSpared() {
    assertThat(
            Result.of(
                org.orphanreaper.act.KillOutcome.Status.KILLED,
                org.orphanreaper.act.KillOutcome.Result.SPARED))
        .isEqualTo(Result.SPARED);
    assertThat(
            Result.of(
                org.orphanreaper.act.KillOutcome.Status.ABORTED,
                org.orphanreaper.act.KillOutcome.Result.EXITED))
        .isEqualTo(Result.EXITED);
  }

  @Test
  void anUnknownUidHasNoUserName() throws Exception {
    AccountingRecord r = pid(records(), 501);
    assertThat(r.uid()).isEqualTo(-1);
    assertThat(r.user()).isEmpty();
    assertThat(r.cmdline()).isEqualTo("sleep");
  }

  @Test
  void theReasonCodeComesFromTheGivenClassifier() throws Exception {
    RunReport run = RunFixture.kill(dir);
    List<AccountingRecord> rs =
        AccountingRecords.of(
            run,
            RunFixture::userName,
            f ->
                f.decision().family().root().pid() == 500
                    ? ReasonCode.TERM_JOB_GID
                    : ReasonCode.TERM_LINEAGE);
    assertThat(pid(rs, 501).reasonCode()).isEqualTo(ReasonCode.TERM_JOB_GID);
    assertThat(pid(rs, 100).reasonCode()).isEqualTo(ReasonCode.TERM_LINEAGE);
  }

  @Test
  void aDebugRunHasNoRecords() throws Exception {
    RunReport run = RunFixture.kill(dir);
    RunReport debug =
        RunFixture.with(run, false, run.families().stream()
                .map(f -> new RunReport.FamilyReport(f.decision(), Optional.empty(), false, true))
                .toList());
    assertThat(AccountingRecords.of(debug, RunFixture::userName)).isEmpty();
  }
}
