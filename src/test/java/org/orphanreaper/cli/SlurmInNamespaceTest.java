package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.PidNamespace;
import org.orphanreaper.TestBeds;

/**
 * A real single-node Slurm (src/test/testbeds/slurm, proctrack/linuxproc so escapes survive) of
 * each version Debian packages, started inside a PID namespace of the test's own with the
 * reaper: every daemon, job and escapee is the test's, and all of it dies with the namespace.
 * The same field scenarios on each: an idle node of a busy cluster, a controller that is down
 * with and without a leftover to judge, two running jobs one of which left an escapee, and a
 * step scontrol listpids cannot ask. Slurm's commands are run through wrappers that log every
 * call, so the test sees how often the controller was asked.
 */
class SlurmInNamespaceTest {

  @TempDir Path tmp;

  @BeforeEach
  void root() {
    PidNamespace.assumeAvailable();
  }

  /**
   * @param suite host: Debian 12's Slurm 22.05; trixie: Debian 13's 24.11 in a chroot; forky:
   *     Debian testing's (26.05 when this was written) in a chroot
   */
  @ParameterizedTest(name = "Slurm of {0}")
  @ValueSource(strings = {"host", "trixie", "forky"})
  void fieldScenarios(String suite) throws Exception {
    TestBeds.require(suite.equals("host") ? "slurm" : "slurm-" + suite);
    Path beds = Path.of("src/test/testbeds").toAbsolutePath();
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "B=" + beds + "; export SLURM_TESTBED_SUITE=" + suite,
        "$B/slurm start || { echo BED-FAILED; exit 0; }",
        "CG=",
        // the trap moves what is left in the test's cgroup back and removes the cgroup
        "trap 'echo stopping; [ -z \"$CG\" ] || { for p in $(cat $CG/cgroup.procs); do"
            + " echo $p > $CG_ROOT/cgroup.procs; done; find $CG_TOP -depth -type d"
            + " -exec rmdir {} \\;; };"
            + " timeout 90 $B/slurm stop >/dev/null 2>&1' EXIT",
        "echo version=$($B/slurm exec scontrol --version)",
        "chmod 755 $T; W=$T/jobs; mkdir -p $W; chmod 777 $W",
        // scontrol and squeue through wrappers that log each call, named by the rules file
        "BIN=$($B/slurm bin); mkdir -m 755 $T/bin",
        "for c in scontrol squeue; do printf '#!/bin/sh\\necho \"%s $*\" >> %s/calls\\n"
            + "exec %s/%s \"$@\"\\n' $c $T $BIN $c > $T/bin/$c; chmod 755 $T/bin/$c; done",
        "printf 'slurm: { bin: %s }\\nrules:\\n  - name: all-orphans\\n    action: kill\\n'"
            + " $T/bin > $T/rules.yaml; RULES=$T/rules.yaml",
        "calls() { grep -c \"^$1\" $T/calls 2>/dev/null || true; }",
        "last() { tail -n 1 $T/exits; }",
        "state() { $B/slurm exec squeue -h -j $1 -t all -o %T 2>&1; }",
        "long_wait() { for _ in $(seq 300); do [ \"$(count \"$1\")\" -ge 1 ] && return 0;"
            + " sleep 0.1; done; echo \"timeout waiting for $1\" >&2; return 1; }",
        "job_state() { for _ in $(seq 120); do [ \"$(state $1)\" = $2 ] && return 0;"
            + " sleep 0.5; done; echo \"job $1 not $2 but $(state $1)\" >&2; return 1; }",
        // 1. an idle node of a busy cluster: a job pending for later, and an ended job's escapee
        "printf '%s\\n' '#!/bin/bash' 'exec -a pending-job sleep 60' > $W/pending.sh",
        "printf '%s\\n' '#!/bin/bash' \"setsid bash -c 'exec -a ended-escapee sleep 600 &' &\""
            + " 'sleep 1' > $W/ended.sh",
        "JP=$($B/slurm submit ortest2 $W/pending.sh --begin=now+1hour)",
        "J1=$($B/slurm submit ortest1 $W/ended.sh)",
        "long_wait ended-escapee; job_state $J1 COMPLETED; echo pending=$(state $JP)",
        ": > $T/calls; reap --debug --json > $T/idle.json 2> $T/idle.err; cat $T/idle.err",
        "echo idle-preview $(last) listpids=$(calls 'scontrol listpids')"
            + " squeue=$(calls squeue)",
        ": > $T/calls; reap > $T/idle.out 2>&1; cat $T/idle.out",
        "echo idle-kill $(last) escapee=$(count ended-escapee) listpids=$(calls 'scontrol"
            + " listpids') squeue=$(calls squeue)",
        // the same node as a Slurm Epilog sees it, from cron's PATH
        "orphan stray-epilogue $ORTEST1_UID sleep 600; wait_for stray-epilogue",
        ": > $T/calls; (export PATH=/usr/bin:/bin; reap --epilogue -q > $T/epi.out 2>&1);"
            + " cat $T/epi.out",
        "echo idle-epilogue $(last) stray=$(count stray-epilogue) listpids=$(calls 'scontrol"
            + " listpids') squeue=$(calls squeue)",
        // Debian's own Slurm without slurm.bin and with nothing on PATH: found beside slurmd
        // (a chroot's scontrol is not for the host's libc, so only the host suite)
        "if [ " + (suite.equals("host") ? "1" : "0") + " = 1 ]; then"
            + " orphan stray-no-path $ORTEST1_UID sleep 600; wait_for stray-no-path;"
            + " (export PATH=/nonexistent; RULES=$T/kill-all.yaml reap > $T/nopath.out 2>&1);"
            + " cat $T/nopath.out; echo no-path $(last) stray=$(count stray-no-path);"
            + " else echo no-path exit=0 stray=0; fi",
        // 2. the controller down on an idle node without marked processes: nothing to ask
        "orphan stray-while-down $ORTEST1_UID sleep 600; wait_for stray-while-down",
        "timeout 60 $B/slurm stop-ctld >/dev/null; echo ctld-stopped",
        ": > $T/calls; reap > $T/down.out 2>&1; cat $T/down.out",
        "echo down-idle $(last) stray=$(count stray-while-down) squeue=$(calls squeue)",
        // 3. ... and with a leftover whose cgroup names the ended job: it cannot be judged. The
        // bed runs proctrack/linuxproc, so the leftover is put into a cgroup of the test's own
        // named as Slurm names a job's (v1 freezer, else v2), removed again by the trap.
        "orphan job-leftover $ORTEST1_UID sleep 600; wait_for job-leftover",
        "LP=$(ps -eo pid=,args= | awk '$2 == \"job-leftover\" {print $1}')",
        "if [ -d /sys/fs/cgroup/freezer ]; then CG_ROOT=/sys/fs/cgroup/freezer;"
            + " CG_TOP=$CG_ROOT/orphan-reaper-test.$$; CG=$CG_TOP/slurm_localhost/uid_$ORTEST1_UID/job_$J1/"
            + "step_batch; else CG_ROOT=/sys/fs/cgroup; CG_TOP=$CG_ROOT/orphan-reaper-test.$$;"
            + " CG=$CG_TOP/system.slice/slurmstepd.scope/job_$J1/step_batch; fi",
        "mkdir -p $CG && echo $LP > $CG/cgroup.procs && echo leftover-in=$(grep -c job_$J1"
            + " /proc/$LP/cgroup)",
        "orphan stray-with-leftover $ORTEST1_UID sleep 600; wait_for stray-with-leftover",
        ": > $T/calls; reap > $T/down2.out 2> $T/down2.err; cat $T/down2.out $T/down2.err",
        "echo down-leftover $(last) leftover=$(count job-leftover)"
            + " stray=$(count stray-with-leftover) squeue=$(calls squeue)",
        "timeout 90 $B/slurm start-ctld >/dev/null; echo ctld-started",
        ": > $T/calls; reap > $T/up.out 2>&1; cat $T/up.out",
        "echo up-leftover $(last) leftover=$(count job-leftover) squeue=$(calls squeue)"
            + " asked=$(grep -c -- \"--jobs=$J1 \" $T/calls)",
        // 4. a node running two jobs, one of which left an escapee
        "printf '%s\\n' '#!/bin/bash' \"setsid bash -c 'exec -a orphan-escapee sleep 600 &' &\""
            + " 'exec -a legit-foreground sleep 40' > $W/job2.sh",
        "printf '%s\\n' '#!/bin/bash' 'exec -a second-job sleep 60' > $W/job3.sh",
        "J2=$($B/slurm submit ortest1 $W/job2.sh); J3=$($B/slurm submit ortest2 $W/job3.sh)",
        "long_wait orphan-escapee; long_wait legit-foreground; long_wait second-job",
        // a user process posing as slurmstepd, with a child: it must not protect it (lineage)
        "orphan spoofer $ORTEST1_UID bash -c 'exec -a slurmstepd bash -c \"exec -a spoofed-child"
            + " sleep 600 & wait\"'",
        "wait_for spoofed-child",
        ": > $T/calls; reap --debug --json > $T/preview.json",
        // a chroot's slurmstepd runs from inside the chroot: the site would name it an anchor
        "ROOT=$($B/slurm status | sed -n 's/.* root=\\([^ ]*\\).*/\\1/p')",
        "printf 'slurm: { bin: %s }\\nanchors: [/usr/sbin/slurmstepd-wlm%s]\\n"
            + "defaults: { scope: lineage }\\nrules:\\n  - name: strays\\n    action: kill\\n'"
            + " $T/bin \"${ROOT:+, $ROOT/usr/sbin/slurmstepd-wlm}\" > $T/lineage.yaml",
        "RULES=$T/lineage.yaml reap --json --kill-after 2s > $T/kill.json",
        "echo running $(last) escapee=$(count orphan-escapee) legit=$(count legit-foreground)"
            + " second=$(count second-job) spoofed=$(count spoofed-child) squeue=$(calls squeue)",
        // 5. a step scontrol listpids cannot ask (a dead socket in SlurmdSpoolDir): the running
        // jobs stay protected, the stray outside every job cgroup is not judged, and it says so
        "orphan stray-unjudged $ORTEST1_UID sleep 600; wait_for stray-unjudged",
        "$B/slurm break-step 999999 >/dev/null",
        "reap > $T/broken.out 2> $T/broken.err; cat $T/broken.out $T/broken.err",
        "echo broken $(last) stray=$(count stray-unjudged) legit=$(count legit-foreground)"
            + " second=$(count second-job)",
        "$B/slurm unbreak",
        "reap > /dev/null 2>&1; echo unbroken $(last) stray=$(count stray-unjudged)",
        // job 2 still completes normally
        "job_state $J2 COMPLETED && echo job2=COMPLETED"), 600);
    assertThat(r.out()).as(r.err()).doesNotContain("BED-FAILED");
    String out = r.out();
    // 1: nothing runs here, so listpids says idle and the controller is not asked at all
    assertThat(out).as(r.err()).contains("pending=PENDING")
        .contains("idle-preview exit=0 listpids=1 squeue=0")
        .contains("idle-kill exit=0 escapee=0 listpids=1 squeue=0")
        .contains("idle-epilogue exit=0 stray=0 listpids=1 squeue=0")
        .contains("no-path exit=0 stray=0");
    // 2 and 3: the controller down: nothing needed it; then the leftover could not be judged
    assertThat(out).contains("down-idle exit=0 stray=0 squeue=0")
        .contains("leftover-in=1")
        .contains("down-leftover exit=4 leftover=1 stray=0 squeue=1")
        .contains("cannot tell whether job ").contains("was not killed: not judged: pid ")
        .contains("up-leftover exit=0 leftover=0 squeue=1 asked=1");
    // 4: as before, and without a single controller call
    assertThat(out).contains("running exit=0 escapee=0 legit=1 second=1 spoofed=0 squeue=0");
    String preview = Files.readString(tmp.resolve("preview.json"));
    String wouldKill = "\"result\":\"would-kill\"[^\\]]*\"cmdline\":\"";
    assertThat(preview).containsPattern(wouldKill + "orphan-escapee")
        .containsPattern(wouldKill + "spoofed-child")
        .doesNotContainPattern(wouldKill + "legit-foreground")
        .doesNotContainPattern(wouldKill + "second-job");
    assertThat(Files.readString(tmp.resolve("kill.json"))).contains("\"result\":\"killed\"")
        .contains("descends from no batch-system anchor");
    // 5: nothing wrongly killed, and the run says what it could not ask
    assertThat(out).contains("broken exit=4 stray=1 legit=1 second=1")
        .contains("slurm: scontrol listpids failed (exit 1): ")
        .contains("unbroken exit=0 stray=0")
        .contains("job2=COMPLETED");
  }
}
