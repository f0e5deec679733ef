package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orphanreaper.PidNamespace;

/**
 * Kills through a cgroup of the reaper's own (cgroup v2's freeze and kill, cgroup v1's freezer),
 * and what a reaper that dies mid-kill leaves for the next run, against real processes in a
 * private PID namespace. A hierarchy the host lacks is mounted in the namespace's own mounts;
 * every pen the reaper makes is gone when the scenario ends (the host is left as found).
 */
class PenInNamespaceTest {

  @TempDir Path tmp;

  @BeforeEach
  void needsNamespace() {
    PidNamespace.assumeAvailable();
  }

  private PidNamespace.Result run(String hierarchy, String... lines) throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp,
        "hierarchy " + hierarchy + "\n" + String.join("\n", lines)
            + "\necho pens-left=$(pens)", 180);
    assumeFalse(r.out().contains("NO-HIERARCHY"), hierarchy + " cannot be mounted here");
    assertThat(r.out()).as(r.err()).contains("pens-left=0");
    return r;
  }

  @ParameterizedTest
  @ValueSource(strings = {"cgroup2", "freezer"})
  void aProcessThatIgnoresTermIsKilledFromItsPen(String hierarchy) throws Exception {
    PidNamespace.Result r = run(hierarchy,
        "orphan x $ORTEST1_UID bash -c 'trap \"\" TERM; exec -a orphan-stubborn sleep 1000'",
        "wait_for orphan-stubborn",
        "reap --json --containment " + hierarchy + " --kill-after 1s > $T/kill.json",
        "echo left=$(count orphan-stubborn)");
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0);
    assertThat(r.out()).contains("left=0");
    // no SIGSTOP: the pen froze the family; one SIGKILL went to the whole pen
    assertThat(Files.readString(tmp.resolve("kill.json")))
        .containsPattern("\"mechanism\":\"\\w+\\+" + hierarchy + "\"")
        .contains("\"signals\":[\"TERM\",\"CONT\",\"KILL\"]").contains("\"result\":\"killed\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cgroup2", "freezer"})
  void aFamilyThatKeepsForkingIsPennedAndEndsWithZeroSurvivors(String hierarchy)
      throws Exception {
    PidNamespace.Result r = run(hierarchy,
        "orphan x $ORTEST1_UID bash -c 'for i in $(seq 5000); do (exec -a orphan-fork sleep 1000"
            + " &); done; exec -a orphan-forker sleep 1000'",
        "wait_for orphan-fork 100",
        "reap --json --containment " + hierarchy + " --kill-after 2s > $T/kill.json",
        "echo left=$(count orphan-fork)");
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0);
    assertThat(r.out()).contains("left=0");
    assertThat(Files.readString(tmp.resolve("kill.json"))).contains("\"result\":\"killed\"")
        .doesNotContain("\"survived\"");
  }

  /**
   * Four chains whose newest link forks the next every few ms (bash: sleep 3 ms, fork, wait).
   * Each pass moves into the pen the links its last re-scan saw, but by the move every chain
   * has grown past them; right after the moves the chase moves in the children the moved links
   * made, wave after wave, so the family is pinned within a pass or two and killed whole.
   * Before the chase every pass was a re-scan behind: the family was reported "not killed",
   * and links kept forking outside the pen.
   */
  @ParameterizedTest
  @ValueSource(strings = {"cgroup2", "freezer"})
  void chainsThatForkFasterThanAPassArePinnedAndKilled(String hierarchy) throws Exception {
    PidNamespace.Result r = run(hierarchy,
        "orphan orphan-chains $ORTEST1_UID bash -c 'link() { [ $1 -gt 0 ] ||"
            + " exec sleep 1000; sleep 0.003; link $(($1 - 1)) & wait; };"
            + " for c in 1 2 3 4; do link 2000 & done; wait'",
        "wait_for orphan-chains 200",
        "reap --json --containment " + hierarchy + " --kill-after 1s > $T/kill.json",
        "sleep 0.5",
        "echo left=$(pgrep -c -u $ORTEST1_UID)");
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0);
    assertThat(r.out()).as(r.err()).contains("left=0");
    assertThat(Files.readString(tmp.resolve("kill.json"))).contains("\"result\":\"killed\"")
        .doesNotContain("not killed");
  }

  /**
   * Members that double-fork into sessions of their own, again and again: once a member is in
   * the pen, its children are born there whatever session they make; what left between the
   * scan and the move is found by its cgroup (the family's own, as a login session's scope
   * would be). Before the pen, each kill left new sessions running.
   */
  @Test
  void membersThatDoubleForkIntoNewSessionsDoNotEscape() throws Exception {
    PidNamespace.Result r = run("cgroup2",
        "cg=$(cgmounts | awk '$2 == \"cgroup2\" {print $1; exit}')/ortest-scope-$$",
        "mkdir $cg",
        // on the way out, the processes of the cgroup this test made, and nothing else
        "trap 'if [ -e $cg/cgroup.kill ]; then echo 1 > $cg/cgroup.kill;"
            + " else xargs -r kill -KILL < $cg/cgroup.procs; fi; sleep 0.3; rmdir $cg' EXIT",
        "printf '%s\\n' '#!/bin/bash' 'trap \"\" TERM'"
            + " 'while :; do setsid bash -c \"trap \\\"\\\" TERM; (exec -a orphan-escapee sleep 1000"
            + " &)\"; sleep 0.01; done' > $T/escaper.sh; chmod 755 $T $T/escaper.sh",
        "bash -c 'echo $$ > '$cg'/cgroup.procs; exec setpriv --reuid '$ORTEST1_UID' --regid '"
            + "$ORTEST1_UID' --clear-groups setsid bash -c \"($T/escaper.sh &)\"' </dev/null"
            + " >/dev/null 2>&1",
        "wait_for orphan-escapee 20",
        "reap --json --containment cgroup2 --kill-after 1s > $T/kill.json",
        "sleep 0.3",
        "echo escapees=$(count orphan-escapee) escaper=$(count escaper.sh)",
        "for p in $(pgrep -f orphan-escapee); do echo \"left: $(ps -o pid=,ppid=,sid=,stat=,lstart=,args= -p $p)"
            + " $(cat /proc/$p/cgroup | tr '\\n' ' ')\"; done");
    assertThat(r.out()).as(() -> r.err() + "\n" + read(tmp.resolve("kill.json")))
        .contains("escapees=0 escaper=0");
  }

  /**
   * A member that runs a setuid-root program from its TERM trap: the pen is frozen again and
   * every process in it read before the SIGKILL; the kill is called off and the family put back
   * in its own cgroups, running.
   */
  @Test
  void aMemberThatBecomesRootInThePenIsPutBackAndLeftAlone() throws Exception {
    PidNamespace.Result r = run("cgroup2",
        "becomes_root_script",
        "orphan x $ORTEST1_UID $T/becomes-root.sh",
        "wait_for becomes-root.sh",
        "reap --json --containment cgroup2 --kill-after 2s > $T/kill.json 2> $T/kill.err",
        "sleep 0.3",
        "p=$(pgrep -f orphan-became-root | head -n 1)",
        "echo became-root=$(count orphan-became-root) penned=$(penned orphan-became-root)"
            + " euid=$(awk '/^Uid:/ {print $3}' /proc/$p/status)");
    assumeFalse(r.out().contains("NOSUID"), "the test's directory is mounted nosuid");
    assertThat(r.out()).as(r.err()).contains("became-root=1 penned=0 euid=0");
    assertThat(Files.readString(tmp.resolve("kill.json"))).contains("\"result\":\"aborted\"")
        .contains("a member became protected during the kill")
        .doesNotContain("\"KILL\"");
  }

  /**
   * The reaper killed with SIGKILL (the OOM killer) in the middle of a kill runs no shutdown
   * hook: the next run, whatever its rules (here they keep every family), reads the journal the
   * dead run left and resumes what it stopped or penned. (Before the journal, the processes
   * stayed stopped.)
   */
  @ParameterizedTest
  @ValueSource(strings = {"signals", "cgroup2"})
  void whatAReaperKilledMidKillLeftIsResumedByTheNextRun(String containment) throws Exception {
    PidNamespace.Result r = run("cgroup2",
        "held_family",
        "$REAPER --syslog-socket $T/no-syslog --rules $T/kill-all.yaml --accounting"
            + " $T/accounting.jsonl --state $T/grace.state --containment " + containment
            + " --kill-after 30s -q 2> $T/first.err &",
        "rp=$!",
        // the moment the family's first process is stopped or penned, in a tight loop
        "until grep -q '/kill-' /proc/$v/cgroup || grep -q '^State:.T' /proc/$v/status"
            + " || ! kill -0 $rp 2>/dev/null; do :; done",
        "kill -KILL $rp; wait $rp",
        "echo journal=$(ls $T/lock.journal 2>/dev/null | wc -l)",
        "held() { ps -eo stat=,args= | awk '$1 ~ /^T/ && /orphan-held/ {n++} END {print n+0}';"
            + " }",
        "$REAPER --syslog-socket $T/no-syslog --rules $T/kill-all.yaml --accounting"
            + " $T/accounting.jsonl --state $T/grace.state -w 1000h -q 2> $T/second.err;"
            + " echo second-exit=$?",
        "sleep 0.3",
        "echo stopped=$(held) penned=$(penned orphan-held) alive=$(count orphan-held)"
            + " journal=$(ls $T/lock.journal 2>/dev/null | wc -l)",
        "cat $T/second.err");
    assertThat(r.out()).as(r.err()).contains("journal=1").contains("second-exit=0")
        .contains("stopped=0 penned=0 alive=301 journal=0")
        .contains("a previous run ended mid-kill");
  }

  /** SIGTERM mid-kill: the shutdown hook moves the family out of the pen, running. */
  @Test
  void aReaperStoppedMidKillPutsThePennedFamilyBack() throws Exception {
    PidNamespace.Result r = run("cgroup2",
        "held_family",
        "$REAPER --syslog-socket $T/no-syslog --rules $T/kill-all.yaml --accounting"
            + " $T/accounting.jsonl --state $T/grace.state --containment cgroup2 --kill-after 30s"
            + " -q 2> $T/reaper.err &",
        "rp=$!",
        "until grep -q '/kill-' /proc/$v/cgroup || ! kill -0 $rp 2>/dev/null; do :; done",
        "kill -TERM $rp; wait $rp",
        "sleep 0.3",
        "echo penned=$(penned orphan-held) alive=$(count orphan-held)"
            + " journal=$(ls $T/lock.journal 2>/dev/null | wc -l)",
        "cat $T/reaper.err");
    assertThat(r.out()).as(r.err()).contains("penned=0 alive=301 journal=0")
        .contains("stopped process(es) resumed");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(no " + file + ")";
    }
  }
}
