package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.PidNamespace;

/**
 * The audit trail of kill mode when things go wrong: a run killed mid-way, a full disk, many
 * families that ignore TERM. Real processes in a private PID namespace; the full disk is a tiny
 * tmpfs in the namespace's own mounts.
 */
class AuditInNamespaceTest {

  @TempDir Path tmp;

  @BeforeEach
  void needsNamespace() {
    PidNamespace.assumeAvailable();
  }

  @AfterEach
  void noPenIsLeft() throws Exception {
    assertThat(PidNamespace.pensLeft()).isEmpty();
  }

  /**
   * A run killed (SIGKILL, the OOM killer) after it killed one family and while it waits out
   * another's grace has already recorded the first, in accounting and syslog. (Before, records
   * were written at the end of the run: the crashed run left none.)
   */
  @Test
  void aFamilyIsRecordedAsSoonAsItsKillEnds() throws Exception {
    PidNamespace.assumeRsyslogd();
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "rsyslog",
        "orphan orphan-quick $ORTEST1_UID sleep 1000",
        "orphan x $ORTEST2_UID bash -c 'trap \"\" TERM; exec -a orphan-slow sleep 1000'",
        "wait_for orphan-quick; wait_for orphan-slow",
        "$REAPER --syslog-socket $SYSLOG_SOCKET --rules $T/kill-all.yaml --accounting"
            + " $T/accounting.jsonl --state $T/grace.state --kill-after 60s -q 2> $T/reaper.err &",
        "rp=$!",
        "for _ in $(seq 200); do [ -s $T/accounting.jsonl ]"
            + " && grep -q 'killed family' $T/syslog.out 2>/dev/null && break; sleep 0.05; done",
        "kill -KILL $rp; wait $rp",
        "sleep 0.5",
        "echo quick=$(count orphan-quick) records=$(wc -l < $T/accounting.jsonl)"
            + " logged=$(grep -c 'killed family' $T/syslog.out)",
        // the next run puts back what the dead one left in its pen (the slow family)
        "$REAPER --syslog-socket $T/no-syslog --rules $T/kill-all.yaml --accounting"
            + " $T/accounting.jsonl --state $T/grace.state -w 1000h -q"), 120);
    assertThat(r.out()).as(r.err()).contains("quick=0 records=1 logged=1");
    assertThat(Files.readString(tmp.resolve("accounting.jsonl"))).contains("orphan-quick");
  }

  /**
   * Ten families that ignore TERM, with --kill-after 10s: they wait their grace together, so
   * the run ends in about one grace (before, four at a time: three graces, 30 s, past the
   * bound the scenario gives it).
   */
  @Test
  void familiesWaitTheirGraceTogether() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "for i in $(seq 10); do orphan x $ORTEST1_UID bash -c 'trap \"\" TERM;"
            + " exec -a orphan-stubborn sleep 1000'; done",
        "wait_for orphan-stubborn 10",
        "timeout 22 $REAPER --syslog-socket $T/no-syslog --rules $T/kill-all.yaml --accounting"
            + " $T/accounting.jsonl --state $T/grace.state --kill-after 10s -q; echo exit=$?",
        "echo left=$(count orphan-stubborn)"), 120);
    assertThat(r.out()).as(r.err()).contains("exit=0").contains("left=0");
  }

  /**
   * A journal that cannot be written (here a directory is in its way; a full or read-only /run
   * does the same): nothing is stopped or penned, the family is left running, the reason goes to
   * stderr and syslog, and the run exits 4.
   */
  @Test
  void aJournalThatCannotBeWrittenCallsEveryKillOff() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "mkdir $T/lock.journal",
        "orphan orphan-kept $ORTEST1_UID sleep 1000",
        "wait_for orphan-kept",
        "$REAPER --syslog-socket $T/no-syslog --rules $T/kill-all.yaml --accounting"
            + " $T/accounting.jsonl --state $T/grace.state --json > $T/kill.json; echo exit=$?",
        "echo kept=$(count orphan-kept)"), 120);
    assertThat(r.out()).as(r.err()).contains("exit=4").contains("kept=1");
    assertThat(r.err()).contains("cannot create the journal " + tmp.resolve("lock.journal"))
        .contains("no family is stopped or killed until it can be written");
    assertThat(Files.readString(tmp.resolve("kill.json"))).contains("\"result\":\"aborted\"")
        .contains("\"note\":\"cannot write the journal: ").contains("\"signals\":[]");
  }

  /**
   * Accounting on a full disk: the records that do not fit are counted, the file keeps whole
   * records only, and the run exits 4. (Before: records lost silently, one line torn, exit 0,
   * and the message said "accounting: accounting: ...".)
   */
  @Test
  void accountingOnAFullDiskLosesWholeRecordsAndSaysHowMany() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "mkdir $T/full; mount -t tmpfs -o size=12k tmpfs $T/full",
        "for i in $(seq 40); do orphan orphan-many-$i $ORTEST1_UID sleep 1000; done",
        "wait_for orphan-many 40",
        "$REAPER --syslog-socket $T/no-syslog --rules $T/kill-all.yaml --accounting"
            + " $T/full/accounting.jsonl --state $T/grace.state --kill-after 5s -q"
            + " 2> $T/reaper.err; echo exit=$?",
        "cp $T/full/accounting.jsonl $T/kept.jsonl",
        "echo left=$(count orphan-many) kept=$(wc -l < $T/kept.jsonl)",
        "cat $T/reaper.err",
        "umount $T/full"), 120);
    assertThat(r.out()).as(r.err()).contains("exit=4").contains("left=0")
        .containsPattern("accounting: \\d+ of 40 record\\(s\\) lost: cannot write")
        .doesNotContain("accounting: accounting:");
    List<String> kept = Files.readAllLines(tmp.resolve("kept.jsonl"));
    assertThat(kept).isNotEmpty().hasSizeLessThan(40);
    assertThat(kept).allSatisfy(line -> assertThat(line).startsWith("{\"time\":")
        .endsWith("}").contains("\"reason\":")); // whole records, none torn
  }
}
