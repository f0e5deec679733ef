package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.PidNamespace;

/**
 * The rules file deciding over real processes, each test in a PID namespace of its own: only
 * the namespace's processes exist for the reaper, and they die with it.
 */
class RulesInNamespaceTest {

  @TempDir Path tmp;

  @BeforeEach
  void root() {
    PidNamespace.assumeAvailable();
  }

  @Test
  void aCmdlineRuleKillsOnlyThatFamily() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "printf '%s\\n' 'rules:' '  - name: stray-jobmanager'"
            + " '    match: { cmdline: \"^orphan-jobmanager\" }' '    action: kill'"
            + " '  - name: rest' '    action: report' > $T/rules.yaml",
        "orphan orphan-jobmanager $ORTEST1_UID sleep 1000",
        "orphan orphan-bystander $ORTEST1_UID sleep 1000",
        "wait_for orphan-jobmanager; wait_for orphan-bystander",
        "RULES=$T/rules.yaml reap --json --kill-after 2s > $T/kill.json",
        "echo jobmanager=$(count orphan-jobmanager) bystander=$(count orphan-bystander)"), 120);
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0);
    assertThat(r.out()).contains("jobmanager=0 bystander=1");
    String kill = Files.readString(tmp.resolve("kill.json"));
    assertThat(kill).contains("\"rule\":\"stray-jobmanager\"").contains("\"result\":\"killed\"")
        .contains("\"rule\":\"rest\"").contains("\"result\":\"reported\"");
  }

  @Test
  void aProtectEntrySparesWhatALaterRuleWouldKill() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "printf '%s\\n' 'protect:' '  - name: precious' '    cmdline: \"orphan-precious\"'"
            + " 'rules:' '  - name: everything' '    action: kill' > $T/rules.yaml",
        "orphan orphan-precious $ORTEST1_UID sleep 1000",
        "orphan orphan-doomed $ORTEST1_UID sleep 1000",
        "wait_for orphan-precious; wait_for orphan-doomed",
        "RULES=$T/rules.yaml reap --kill-after 2s > $T/kill.txt",
        "echo precious=$(count orphan-precious) doomed=$(count orphan-doomed)"), 120);
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0);
    assertThat(r.out()).contains("precious=1 doomed=0");
    assertThat(Files.readString(tmp.resolve("kill.txt")))
        .contains("killed family").contains("rule=everything")
        .contains("acted=1 reported=0 kept=1");
  }

  @Test
  void reportNeverSignalsButLogs() throws Exception {
    PidNamespace.assumeRsyslogd();
    // The watched process records every signal it can catch (STOP cannot be caught, but the
    // kill protocol always follows it with CONT).
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "rsyslog",
        "printf '%s\\n' 'rules:' '  - name: audit' '    action: report' > $T/rules.yaml",
        "touch $T/signals; chmod 666 $T/signals",
        // no exec after the traps: exec would reset them to the default action
        "orphan orphan-audited $ORTEST1_UID bash -c 'for s in TERM INT HUP CONT USR1 QUIT; do"
            + " trap \"echo $s >> $T/signals\" $s; done; while :; do sleep 0.1; done'",
        "wait_for orphan-audited",
        "RULES=$T/rules.yaml reap --kill-after 1s > $T/kill.txt",
        "sleep 0.5",
        // alive, once or twice: the loop's fork for each sleep briefly shows its argv too
        "[ $(count orphan-audited) -ge 1 ] && echo audited=alive"), 120);
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0);
    assertThat(r.out()).contains("audited=alive");
    assertThat(Files.readString(tmp.resolve("signals"))).isEmpty();
    assertThat(Files.readString(tmp.resolve("kill.txt"))).contains("reported family")
        .contains("rule=audit").contains("acted=0 reported=1");
    assertThat(Files.readString(tmp.resolve("syslog.out")))
        .containsPattern("daemon notice orphan-reaper\\s+reported family sid=\\d+ .* rule=audit");
  }

  @Test
  void aPlanOverTheLimitsKillsNothingAndSaysWhy() throws Exception {
    PidNamespace.assumeRsyslogd();
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "rsyslog",
        "printf '%s\\n' 'defaults: { max_kills_per_run: 1 }' 'rules:' '  - name: all'"
            + " '    action: kill' > $T/rules.yaml",
        "orphan orphan-first $ORTEST1_UID sleep 1000",
        "orphan orphan-second $ORTEST2_UID sleep 1000",
        "wait_for orphan-first; wait_for orphan-second",
        "RULES=$T/rules.yaml reap --kill-after 1s > $T/kill.txt",
        "echo first=$(count orphan-first) second=$(count orphan-second)"), 120);
    assertThat(r.reaperExits()).containsExactly(ExitCode.UNSAFE);
    assertThat(r.out()).contains("first=1 second=1");
    assertThat(r.err()).contains("circuit breaker: the plan would kill 2 families, more than"
        + " max_kills_per_run 1; nothing was killed");
    assertThat(Files.readString(tmp.resolve("syslog.out")))
        .containsPattern("daemon err orphan-reaper\\s+circuit breaker");
  }

  @Test
  void graceCarriesOverRunsAndACorruptStateNeverShortensIt() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "printf '%s\\n' 'defaults: { grace: 3s }' 'rules:' '  - name: patient' "
            + "'    match: { cmdline: \"orphan-patient\" }' '    action: kill'"
            + " '  - name: hasty' '    match: { cmdline: \"orphan-hasty\" }'"
            + " '    action: kill' '    immediate: true' > $T/rules.yaml",
        "orphan orphan-patient $ORTEST1_UID sleep 1000",
        "orphan orphan-hasty $ORTEST1_UID sleep 1000",
        "wait_for orphan-patient; wait_for orphan-hasty",
        "RULES=$T/rules.yaml reap --kill-after 1s > $T/run1.txt",
        "echo run1 patient=$(count orphan-patient) hasty=$(count orphan-hasty)",
        "cp $T/grace.state $T/grace.after1",
        "sleep 1.5; printf 'garbage\\n' > $T/grace.state",
        // the corrupt state restarts the grace: not yet after 1.5 + 2 s
        "sleep 2; RULES=$T/rules.yaml reap --kill-after 1s > $T/run2.txt 2> $T/run2.err",
        "echo run2 patient=$(count orphan-patient)",
        "sleep 3.5; RULES=$T/rules.yaml reap --kill-after 1s > $T/run3.txt",
        "echo run3 patient=$(count orphan-patient)",
        "RULES=$T/rules.yaml reap > /dev/null"), 120);
    assertThat(r.reaperExits()).containsExactly(0, 0, 0, 0);
    assertThat(r.out()).contains("run1 patient=1 hasty=0").contains("run2 patient=1")
        .contains("run3 patient=0");
    assertThat(Files.readString(tmp.resolve("grace.after1")))
        .startsWith("# orphan-reaper grace state 1\n").containsPattern("\\d+:\\d+:patient \\d+");
    assertThat(Files.readString(tmp.resolve("run2.err")))
        .contains("is corrupt at line 1; replaced, every family starts its grace now");
    assertThat(Files.readString(tmp.resolve("run3.txt"))).contains("rule=patient");
    // the next run finds the family gone and prunes it from the state
    assertThat(Files.readString(tmp.resolve("grace.state")))
        .isEqualTo("# orphan-reaper grace state 1\n");
  }
}
