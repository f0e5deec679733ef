package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.report.RunFixture;
import org.orphanreaper.sink.accounting.AccountingException;
import org.orphanreaper.sink.accounting.AccountingJson;
import org.orphanreaper.sink.accounting.AccountingRecord;
import org.orphanreaper.sink.accounting.AccountingRecords;
import org.orphanreaper.sink.accounting.ReasonCode;

class HistoryTest {

  @TempDir Path dir;

  static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

  static AccountingRecord rec(
      Instant time, String host, int pid, int uid, String user, int root, String rule) {
    return new AccountingRecord(
        time,
        host,
        pid,
        time.minusSeconds(3600),
        uid,
        Optional.ofNullable(user),
        pid,
        root,
        "sleep",
        "sleep 600",
        Duration.ofSeconds(1),
        Duration.ofSeconds(3600),
        Optional.ofNullable(rule),
        List.of("STOP", "TERM", "CONT"),
        AccountingRecord.Result.EXITED,
        ReasonCode.TERM_ORPHAN,
        "rule '" + rule + "': orphaned");
  }

  /** Two runs on two hosts: alice (5001) by rule a, bob (5002) by rule b, one unknown uid. */
  static List<AccountingRecord> history() {
    Instant t1 = T0.plus(Duration.ofDays(1));
    return List.of(
        rec(T0, "wn1", 100, 5001, "alice", 100, "a"),
        rec(T0, "wn1", 101, 5001, "alice", 100, "a"),
        rec(T0, "wn2", 100, 5002, "bob", 100, "b"),
        rec(t1, "wn1", 300, 5001, "alice", 300, "b"),
        rec(t1, "wn1", 301, -1, null, 300, "b"));
  }

  /** What history prints of {@code records}. */
  static String render(List<AccountingRecord> records, HistoryQuery q, boolean json)
      throws AccountingException {
    StringWriter out = new StringWriter();
    History.print(records::forEach, q, json, new PrintWriter(out));
    return out.toString();
  }

  /** The records history prints as JSON lines. */
  private static List<AccountingRecord> printed(List<AccountingRecord> records, HistoryQuery q)
      throws Exception {
    List<AccountingRecord> back = new ArrayList<>();
    for (String line : render(records, q, true).lines().toList()) {
      back.add(AccountingJson.parse(line));
    }
    return back;
  }

  private static List<Integer> pidsOf(HistoryQuery q) throws Exception {
    return printed(history(), q).stream().map(AccountingRecord::pid).toList();
  }

  @Test
  void noFilterSelectsEverything() throws Exception {
    assertThat(pidsOf(HistoryQuery.all())).containsExactly(100, 101, 100, 300, 301);
  }

  @Test
  void sinceKeepsRunsAtOrAfterTheTime() throws Exception {
    HistoryQuery q =
        new HistoryQuery(Optional.of(T0.plusSeconds(1)), Optional.empty(), Optional.empty());
    assertThat(pidsOf(q)).containsExactly(300, 301);
    q = new HistoryQuery(Optional.of(T0), Optional.empty(), Optional.empty());
    assertThat(pidsOf(q)).hasSize(5);
  }

  @Test
  void userMatchesByNameOrByUid() throws Exception {
    assertThat(pidsOf(new HistoryQuery(Optional.empty(), Optional.of("alice"), Optional.empty())))
        .containsExactly(100, 101, 300);
    assertThat(pidsOf(new HistoryQuery(Optional.empty(), Optional.of("5002"), Optional.empty())))
        .containsExactly(100);
    assertThat(pidsOf(new HistoryQuery(Optional.empty(), Optional.of("-1"), Optional.empty())))
        .isEmpty();
    assertThat(pidsOf(new HistoryQuery(Optional.empty(), Optional.of("ali"), Optional.empty())))
        .isEmpty();
  }

  @Test
  void ruleMatchesExactlyAndFiltersCombine() throws Exception {
    assertThat(pidsOf(new HistoryQuery(Optional.empty(), Optional.empty(), Optional.of("b"))))
        .containsExactly(100, 300, 301);
    assertThat(
            pidsOf(
                new HistoryQuery(
                    Optional.of(T0.plusSeconds(1)), Optional.of("alice"), Optional.of("b"))))
        .containsExactly(300);
  }

  /** Runs append in turn, so that is oldest first; sorting would mean holding them all. */
  @Test
  void recordsComeInTheOrderTheyWereWritten() throws Exception {
    List<AccountingRecord> reversed = new ArrayList<>(history());
    java.util.Collections.reverse(reversed);
    assertThat(printed(reversed, HistoryQuery.all())).isEqualTo(reversed);
  }

  @Test
  void summaryCountsFamiliesPerHostAndRunAndUsersByUid() throws Exception {
    assertThat(render(history(), HistoryQuery.all(), false))
        .endsWith("\n5 records, 3 families, 3 users\n");
    assertThat(render(history().subList(0, 1), HistoryQuery.all(), false))
        .endsWith("\n1 record, 1 family, 1 user\n");
    assertThat(render(List.of(), HistoryQuery.all(), false))
        .isEqualTo("0 records, 0 families, 0 users\n");
  }

  @Test
  void theTableOfAKillRun() throws Exception {
    List<AccountingRecord> rs = AccountingRecords.of(RunFixture.kill(dir), RunFixture::userName);
    assertThat(render(rs, HistoryQuery.all(), false))
        .isEqualTo(
            String.join(
                "\n",
                "TIME                  HOST   USER   PID  COMMAND         RULE          SIGNALS"
                    + "                   RESULT    REASON_CODE",
                "2024-05-01T12:00:00Z  wn042  u5001  100  boinc --daemon  long-running "
                    + " STOP,TERM,CONT            exited    TERM_ORPHAN",
                "2024-05-01T12:00:00Z  wn042  u5001  101  sleep 600       long-running"
                    + "  STOP,TERM,CONT,STOP,KILL  killed    TERM_ORPHAN",
                "2024-05-01T12:00:00Z  wn042  u5004  400  sim             long-running  STOP,CONT"
                    + "                 aborted   TERM_ORPHAN",
                "2024-05-01T12:00:00Z  wn042  u5004  401  [sim]           long-running  -"
                    + "                         zombie    TERM_ORPHAN",
                "2024-05-01T12:00:00Z  wn042  u5005  500  dd if=/dev/sdz  stuck"
                    + "         STOP,TERM,CONT,STOP,KILL  survived  TERM_ORPHAN",
                "2024-05-01T12:00:00Z  wn042  ?      501  sleep           stuck         -"
                    + "                         vanished  TERM_ORPHAN",
                "6 records, 3 families, 4 users",
                ""));
  }

  @Test
  void hostileCommandLinesCannotReachTheTerminalOrForgeRows() throws Exception {
    AccountingRecord r = rec(T0, "wn1", 100, 5001, "alice", 100, "a");
    AccountingRecord evil =
        new AccountingRecord(
            r.time(),
            r.host(),
            r.pid(),
            r.startTime(),
            r.uid(),
            r.user(),
            r.sid(),
            r.familyRoot(),
            r.comm(),
            "x\u001b[2J\nwn1 root 1 \u202eevil\u0085" + "y".repeat(100),
            r.cputime(),
            r.walltime(),
            r.rule(),
            r.signals(),
            r.result(),
            r.reasonCode(),
            r.reason());
    String table = render(List.of(evil), HistoryQuery.all(), false);
    assertThat(table.lines()).hasSize(3);
    assertThat(table)
        .doesNotContain("\u001b", "\u202e", "\u0085")
        .contains("x\\x1b[2J\\nwn1 root 1 \\u202eevil\\u0085...");
    String row = table.lines().toList().get(1);
    assertThat(row).contains("\\u0085...  a ");
    assertThat(row.indexOf("...") - row.indexOf("x\\x1b[2J")).isEqualTo(37);
  }

  @Test
  void jsonIsTheAccountingLinesOfTheSelectionAndNothingElse() throws Exception {
    HistoryQuery q = new HistoryQuery(Optional.empty(), Optional.of("alice"), Optional.empty());
    String out = render(history(), q, true);
    List<AccountingRecord> back = new ArrayList<>();
    for (String line : out.split("\n")) {
      back.add(AccountingJson.parse(line));
    }
    assertThat(back).isEqualTo(history().stream().filter(q::matches).toList());
    assertThat(out).endsWith("}\n");
    assertThat(render(List.of(), q, true)).isEmpty();
  }

  @Test
  void anEmptySelectionIsJustTheSummary() throws Exception {
    HistoryQuery q = new HistoryQuery(Optional.empty(), Optional.of("carol"), Optional.empty());
    assertThat(render(history(), q, false)).isEqualTo("0 records, 0 families, 0 users\n");
  }
}
