package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.PidNamespace;

/** The whole reaper, as a separate JVM, against real processes in a private PID namespace. */
class KillInNamespaceTest {

  @TempDir Path tmp;

  @BeforeEach
  void needsNamespace() {
    PidNamespace.assumeAvailable();
  }

  @org.junit.jupiter.api.AfterEach
  void noPenIsLeft() throws Exception {
    assertThat(PidNamespace.pensLeft()).as("the reaper's kill cgroups left on the host").isEmpty();
  }

  @Test
  void killsTheOrphanedDaemonAndNothingElse() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "orphan orphan-victim $ORTEST1_UID sleep 1000",
        "orphan orphan-lowuid 500 sleep 1000",
        // a tree whose root's parent is a live process other than init
        "as_user $ORTEST2_UID bash -c '(exec setsid bash -c \"exec -a child-of-live sleep 1000\") & "
            + "exec -a live-parent sleep 1000' &",
        "wait_for orphan-victim; wait_for orphan-lowuid; wait_for child-of-live;"
            + " wait_for live-parent",
        "reap --debug > $T/debug.txt",
        "reap --debug --json > $T/debug.json",
        "echo after-debug victim=$(count orphan-victim)",
        "reap --json --kill-after 3s > $T/kill.json",
        "echo after-kill victim=$(count orphan-victim) lowuid=$(count orphan-lowuid)"
            + " child=$(count child-of-live) parent=$(count live-parent)"), 120);
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0, 0, 0);
    assertThat(r.out()).contains("after-debug victim=1")
        .contains("after-kill victim=0 lowuid=1 child=1 parent=1");
    String listing = Files.readString(tmp.resolve("debug.txt"));
    assertThat(listing).contains("orphan-victim 1000").contains("would-kill")
        .doesNotContain("orphan-lowuid").doesNotContain("child-of-live");
    String debug = Files.readString(tmp.resolve("debug.json"));
    String kill = Files.readString(tmp.resolve("kill.json"));
    assertThat(debug).contains("\"mode\":\"debug\"").contains("below the minimum uid");
    assertThat(kill).contains("\"mode\":\"kill\"").contains("\"result\":\"killed\"");
    // --debug listed exactly the families that kill mode then killed
    assertThat(selectedRoots(debug)).isNotEmpty().isEqualTo(selectedRoots(kill));
  }

  @Test
  void aProcessThatIgnoresTermIsKilledAfterKillAfter() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "orphan x $ORTEST1_UID bash -c 'trap \"\" TERM; exec -a orphan-stubborn sleep 1000'",
        "wait_for orphan-stubborn",
        "start=$(date +%s%N)",
        "reap --json --containment signals --kill-after 1s > $T/kill.json",
        "echo took_ms=$(( ($(date +%s%N) - start) / 1000000 ))",
        "echo left=$(count orphan-stubborn)"), 120);
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0);
    assertThat(r.out()).contains("left=0");
    String kill = Files.readString(tmp.resolve("kill.json"));
    assertThat(kill).contains("\"signals\":[\"STOP\",\"TERM\",\"CONT\",\"STOP\",\"KILL\"]")
        .contains("\"result\":\"killed\"");
    // every process acted on has an accounting record, and history reads it back
    String acct = Files.readString(tmp.resolve("accounting.jsonl"));
    assertThat(acct.lines()).singleElement().asString()
        .contains("\"uid\":" + PidNamespace.U1 + ",").contains("\"comm\":\"sleep\"")
        .contains("\"cmdline\":\"orphan-stubborn 1000\"").contains("\"rule\":\"all-orphans\"")
        .contains("\"signals\":[\"STOP\",\"TERM\",\"CONT\",\"STOP\",\"KILL\"]")
        .contains("\"result\":\"killed\"").contains("\"reason_code\":\"TERM_ORPHAN\"");
    java.io.StringWriter out = new java.io.StringWriter();
    int code = Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(new java.io.StringWriter()),
        "history", "--accounting", tmp.resolve("accounting.jsonl").toString(), "--rule",
        "all-orphans", "--since", "1h");
    assertThat(code).isZero();
    assertThat(out.toString()).contains("orphan-stubborn 1000").contains("TERM_ORPHAN")
        .contains("1 record");
    Matcher m = Pattern.compile("took_ms=(\\d+)").matcher(r.out());
    assertThat(m.find()).isTrue();
    assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(1000);
  }

  @Test
  void aFamilyThatKeepsForkingEndsWithZeroSurvivors() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        // an orphaned forker keeps making new members while the reaper works, up to 5000
        "orphan x $ORTEST1_UID bash -c 'for i in $(seq 5000); do (exec -a orphan-fork sleep 1000 &);"
            + " done; exec -a orphan-forker sleep 1000'",
        "wait_for orphan-fork 100",
        "reap --json --kill-after 2s > $T/kill.json",
        "echo left=$(count orphan-fork)"), 240);
    // orphan-fork also matches orphan-forker: nothing of the family is left
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0);
    assertThat(r.out()).contains("left=0");
    String kill = Files.readString(tmp.resolve("kill.json"));
    assertThat(kill).contains("\"result\":\"killed\"").doesNotContain("\"survived\"")
        .containsPattern("process\\(es\\) joined during the kill");
  }

  @Test
  void cputimeAndWalltimeThresholdsSelectAndSpare() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "orphan orphan-idle $ORTEST1_UID sleep 1000",
        "orphan x $ORTEST1_UID bash -c 'exec -a orphan-busy bash -c \"while :; do :; done\"'",
        "wait_for orphan-idle; wait_for orphan-busy",
        "sleep 2.5",
        "reap -q -w 1h",
        "echo young idle=$(count orphan-idle) busy=$(count orphan-busy)",
        "reap -q -c 1s -w 2s --kill-after 1s",
        "echo cpu idle=$(count orphan-idle) busy=$(count orphan-busy)",
        "reap -q -w 2s --kill-after 1s",
        "echo wall idle=$(count orphan-idle) busy=$(count orphan-busy)"), 120);
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0, 0, 0);
    assertThat(r.out()).contains("young idle=1 busy=1").contains("cpu idle=1 busy=0")
        .contains("wall idle=0 busy=0");
  }

  /**
   * A process that, on TERM, starts a fresh child and exits: "0 survivors" is a claim, so once
   * every known member is gone a re-scan must find nothing new in the family's session. (Before
   * this, only the still-living known members were looked at: the child ran on.)
   */
  @Test
  void aChildStartedOnTermIsFoundAndKilledToo() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "chmod 755 $T",
        "printf '%s\\n' '#!/bin/bash' 'trap \"(exec -a orphan-respawned sleep 1000) & exit 0\" TERM'"
            + " 'while :; do sleep 0.2; done' > $T/respawner.sh; chmod 755 $T/respawner.sh",
        "orphan x $ORTEST1_UID $T/respawner.sh",
        "wait_for respawner.sh",
        "reap > $T/kill.txt 2>&1; cat $T/kill.txt",
        "sleep 0.5",
        "echo left=$(count respawner.sh) respawned=$(count orphan-respawned)"), 120);
    assertThat(r.reaperExits()).as(r.out()).containsExactly(0);
    assertThat(r.out()).contains("left=0 respawned=0").contains("survivors=0");
  }

  /**
   * A pid hopper: each process starts the next and exits, 20 times a second, in the family's
   * session. Its members have often exited by the time they are read (it was kept as "every
   * member exited during the scan"), and the kill finds the next generation through the
   * session. A scan can still miss a generation that is born and gone between reading the pid
   * list and its stat: then, as cron would, the next run tries again (up to 5 here).
   */
  @Test
  void aPidHopperIsKilledNotKeptAsVanished() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "orphan x $ORTEST1_UID bash -c 'f() { sleep 0.05; f & exit 0; }; f' orphan-hopper",
        "wait_for orphan-hopper",
        "for i in 1 2 3 4 5; do reap > $T/kill.txt 2>&1;"
            + " grep -q 'killed family\\|survived' $T/kill.txt && break; done; cat $T/kill.txt",
        "sleep 0.5",
        "echo hoppers=$(count orphan-hopper)"), 120);
    assertThat(r.out()).as(r.err()).contains("killed family").contains("survivors=0")
        .contains("hoppers=0");
  }

  /**
   * A member that runs a setuid-root program from its TERM trap keeps its pid and start time:
   * identity alone would let SIGKILL hit a process with euid 0. Its credentials are read again
   * once it is stopped, before the next signal: the family is resumed and left alone.
   */
  @Test
  void aMemberThatBecomesRootDuringTheKillIsNeverSignalledAgain() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "becomes_root_script",
        "orphan x $ORTEST1_UID $T/becomes-root.sh",
        "wait_for becomes-root.sh",
        "reap --json --containment signals --kill-after 2s > $T/kill.json 2> $T/kill.err",
        "sleep 0.3",
        "p=$(pgrep -f orphan-became-root | head -n 1)",
        "echo became-root=$(count orphan-became-root)"
            + " euid=$(awk '/^Uid:/ {print $3}' /proc/$p/status) state=$(awk '/^State:/ {print $2}'"
            + " /proc/$p/status)"), 120);
    org.junit.jupiter.api.Assumptions.assumeFalse(r.out().contains("NOSUID"),
        "the test's directory is mounted nosuid; skipped");
    assertThat(r.out()).as(r.err()).contains("became-root=1 euid=0 state=S");
    // read again before the second SIGSTOP, not after: the root process got no signal as root
    assertThat(Files.readString(tmp.resolve("kill.json"))).contains("\"result\":\"aborted\"")
        .contains("a member became protected during the kill")
        .contains("\"signals\":[\"STOP\",\"TERM\",\"CONT\"]")
        .doesNotContain("\"CONT\",\"STOP\"");
  }

  /**
   * Members that double-fork into sessions of their own without exec, again and again, on a
   * node where no cgroup can be written: the new sessions are found as processes born after
   * the scan, re-parented to init, of the family's uid, running the very program and command
   * line of a member. (They were left running.)
   */
  @Test
  void doubleForkersWithoutACgroupAreFoundByTheirProgram() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "orphan x $ORTEST1_UID perl -e 'use POSIX; $SIG{TERM} = \"IGNORE\"; while (1) {"
            + " if (!fork) { POSIX::setsid(); if (!fork) { sleep 1000; exit } exit } wait;"
            + " select(undef, undef, undef, 0.01) }' escaper-marker",
        "wait_for escaper-marker 20",
        "reap --json --containment signals --kill-after 1s > $T/kill.json",
        "sleep 0.3",
        "echo left=$(count escaper-marker)"), 120);
    assertThat(r.out()).as(r.err()).contains("left=0");
  }

  private static void assumeCc() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/cc")),
        "needs a C compiler (cc) to build the test's program; skipped");
  }

  /** Script lines that build $T/NAME from {@code source}, or print NO-CC and end the script. */
  private static String compiled(String name, String... source) {
    StringBuilder b = new StringBuilder("printf '%s\\n'");
    for (String line : source) {
      b.append(" '").append(line).append('\'');
    }
    return b + " > $T/" + name + ".c\ncc -pthread -o $T/" + name + " $T/" + name + ".c || {"
        + " echo NO-CC; exit 0; }";
  }

  /** Script lines that start $T/NAME as an orphan of $ORTEST1_UID; its pid ends up in $p. */
  private static String startedAs(String name) {
    return "orphan x $ORTEST1_UID $T/" + name + "\nfor _ in $(seq 100); do p=$(pgrep -x " + name
        + ") && [ -n \"$p\" ] && break; sleep 0.05; done\nsleep 0.2";
  }

  /**
   * A setuid-root program whose main thread drops to the user's uids with a raw setresuid while
   * another thread keeps euid 0: the leader's status alone passes the hard floor, but a signal
   * hits the root thread too. The floor judges a process by its most privileged thread.
   */
  @Test
  void aProcessWithARootThreadIsProtected() throws Exception {
    assumeCc();
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "chmod 755 $T",
        "findmnt -no OPTIONS -T $T | grep -q nosuid && { echo NOSUID; exit 0; }",
        compiled("rootthread", "#define _GNU_SOURCE", "#include <pthread.h>",
            "#include <unistd.h>", "#include <sys/syscall.h>",
            "static void *keep(void *a) { for (;;) pause(); return a; }",
            "int main(void) { pthread_t t; uid_t u = getuid();",
            "  pthread_create(&t, 0, keep, 0); syscall(SYS_setresuid, u, u, u);",
            "  for (;;) pause(); }"),
        "chown 0:0 $T/rootthread; chmod 4755 $T/rootthread",
        startedAs("rootthread"),
        "echo leader-euid=$(awk '/^Uid:/ {print $3}' /proc/$p/status)"
            + " thread-euids=$(cat /proc/$p/task/*/status | awk '/^Uid:/ {print $3}' | sort -n"
            + " | tr '\\n' ,)",
        "reap --json --kill-after 1s > $T/kill.json 2> $T/kill.err",
        "sleep 0.3",
        "echo after alive=$([ -d /proc/$p ] && echo yes || echo no)"), 120);
    org.junit.jupiter.api.Assumptions.assumeFalse(r.out().contains("NOSUID"),
        "the test's directory is mounted nosuid; skipped");
    assertThat(r.out()).as(r.err()).doesNotContain("NO-CC")
        .contains("leader-euid=" + PidNamespace.U1 + " thread-euids=0,").contains("after alive=yes");
    assertThat(Files.readString(tmp.resolve("kill.json"))).doesNotContain("\"result\":\"killed\"");
  }

  /**
   * A thread-group leader that called pthread_exit shows state Z while its other threads run:
   * it was reported vanished and never signalled, and the threads ran on.
   */
  @Test
  void aLeaderThatCalledPthreadExitIsKilledWithItsThreads() throws Exception {
    assumeCc();
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "chmod 755 $T",
        compiled("zleader", "#include <pthread.h>", "#include <unistd.h>",
            "static void *run(void *a) { for (;;) pause(); return a; }",
            "int main(void) { pthread_t t; pthread_create(&t, 0, run, 0); pthread_exit(0); }"),
        startedAs("zleader"),
        "echo before state=$(awk '/^State:/ {print $2}' /proc/$p/status)"
            + " threads=$(ls /proc/$p/task | wc -l)",
        "reap --json --kill-after 1s > $T/kill.json 2> $T/kill.err",
        "sleep 0.3",
        "echo after alive=$([ -d /proc/$p ] && echo yes || echo no)"), 120);
    assertThat(r.out()).as(r.err()).doesNotContain("NO-CC")
        .contains("before state=Z threads=2").contains("after alive=no");
    assertThat(r.reaperExits()).containsExactly(0);
    assertThat(Files.readString(tmp.resolve("kill.json"))).contains("\"result\":\"killed\"");
  }

  /**
   * The reaper stopped with SIGTERM (systemd's stop, an admin's Ctrl-C) while a 500-process
   * family is frozen: it resumes what it stopped before it exits. (They all stayed in state T.)
   */
  @Test
  void aReaperStoppedMidKillLeavesNothingFrozen() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "orphan x $ORTEST1_UID bash -c 'trap \"\" TERM; for i in $(seq 500); do"
            + " (exec -a orphan-frozen sleep 1000 &); done; exec -a orphan-frozen sleep 1000'",
        "wait_for orphan-frozen 501",
        "v=$(pgrep -o -f orphan-frozen)",
        "$REAPER --syslog-socket $T/no-syslog --rules $T/kill-all.yaml --accounting"
            + " $T/accounting.jsonl --state $T/grace.state --containment signals --kill-after 30s"
            + " -q 2> $T/reaper.err &",
        "rp=$!",
        "frozen() { ps -eo stat=,args= | awk '$1 ~ /^T/ && /orphan-frozen/ {n++} END {print n+0}'; }",
        "until grep -q '^State:.T' /proc/$v/status || ! kill -0 $rp 2>/dev/null; do :; done",
        "echo seen-frozen=$(frozen)",
        "kill -TERM $rp; wait $rp; echo reaper-exit=$?",
        "sleep 0.3",
        "echo left-frozen=$(frozen) alive=$(count orphan-frozen)",
        "cat $T/reaper.err"), 180);
    assertThat(r.out()).as(r.err()).containsPattern("seen-frozen=[1-9]")
        .contains("left-frozen=0 alive=501").contains("stopped process(es) resumed");
  }

  @Test
  void aSecondConcurrentRunExits75() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "orphan x $ORTEST1_UID bash -c 'trap \"\" TERM; exec -a orphan-slow sleep 1000'",
        "wait_for orphan-slow",
        "reap -q --kill-after 6s &",
        "sleep 3",
        "reap -q 2> $T/second.err",
        "wait",
        "echo left=$(count orphan-slow)"), 120);
    assertThat(r.reaperExits()).as(r.err()).containsExactly(75, 0);
    assertThat(Files.readString(tmp.resolve("second.err")))
        .isEqualTo("orphan-reaper: another instance is running (lock " + tmp.resolve("lock")
            + " is held)\n");
    assertThat(r.out()).contains("left=0");
  }

  @Test
  void everyKillReachesARealRsyslogd() throws Exception {
    PidNamespace.assumeRsyslogd();
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "rsyslog",
        "orphan orphan-logged $ORTEST1_UID sleep 1000",
        "wait_for orphan-logged",
        "reap -q --kill-after 2s",
        "sleep 1",
        "echo left=$(count orphan-logged)"), 120);
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0);
    assertThat(r.err()).doesNotContain("syslog");
    assertThat(r.out()).contains("left=0");
    String log = Files.readString(tmp.resolve("syslog.out"));
    assertThat(log).containsPattern("daemon notice orphan-reaper\\s+killed family sid=\\d+ root=\\d+"
        + " user=\\S+ uid=" + PidNamespace.U1 + " pids=\\d+ cputime=00:00:00 walltime=00:00:0\\d rule=all-orphans"
        + " signal=TERM via=pidfd(\\+\\w+)? command=\"orphan-logged 1000\" reason=\"rule 'all-orphans':"
        + " orphaned, parent of root \\d+ is init\"")
        .containsPattern("daemon notice orphan-reaper\\s+run mode=kill scanned=\\d+ families=1"
            + " acted=1 reported=0 kept=0 processes_ended=1 survivors=0");
  }

  /**
   * Log4j carries lines to a central log host only: a kill logged to the local socket alone
   * loads none of its classes (starting it cost a kill run ~100 ms with the class-data archive,
   * ~300 ms without). The reaper's JVM logs what it loads.
   */
  @Test
  void aKillLoggedToTheLocalSocketLoadsNoLog4j() throws Exception {
    PidNamespace.assumeRsyslogd();
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "rsyslog",
        "orphan orphan-local $ORTEST1_UID sleep 1000",
        "wait_for orphan-local",
        "JAVA_TOOL_OPTIONS=-Xlog:class+load=info:file=$T/classes.log reap -q --kill-after 2s",
        "sleep 1",
        "echo left=$(count orphan-local)"
            + " log4j=$(grep -c ' org\\.apache\\.logging\\.' $T/classes.log)"
            + " ours=$(grep -c ' org\\.orphanreaper\\.sink\\.syslog\\.' $T/classes.log)"), 120);
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0);
    assertThat(r.out()).contains("left=0").contains(" log4j=0 ").containsPattern("ours=[1-9]");
    assertThat(Files.readString(tmp.resolve("syslog.out")))
        .containsPattern("daemon notice orphan-reaper\\s+killed family .*orphan-local 1000")
        .containsPattern("daemon notice orphan-reaper\\s+run mode=kill ");
  }

  @Test
  void withoutASyslogDaemonTheRunCompletesAndSaysSoOnce() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "orphan orphan-unlogged $ORTEST1_UID sleep 1000",
        "wait_for orphan-unlogged",
        "reap -q --kill-after 2s",
        "echo left=$(count orphan-unlogged)"), 120);
    assertThat(r.reaperExits()).containsExactly(0);
    assertThat(r.out()).contains("left=0");
    assertThat(r.err()).containsOnlyOnce("no syslog daemon listens on " + tmp.resolve("no-syslog"))
        .doesNotContain("Exception");
  }

  /** Root pids of the families a JSON report selected for killing. */
  static Set<Integer> selectedRoots(String json) {
    Set<Integer> out = new TreeSet<>();
    Matcher m = Pattern.compile("\\{\"root_pid\":(\\d+),[^{]*?\"action\":\"kill\"").matcher(json);
    while (m.find()) {
      out.add(Integer.parseInt(m.group(1)));
    }
    return out;
  }
}
