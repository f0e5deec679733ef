package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.PidNamespace;

/**
 * A real single-node Slurm (src/test/testbeds/slurm, proctrack/linuxproc so escapes survive),
 * started inside a PID namespace of the test's own with the reaper: every daemon, job and
 * escapee is the test's, and all of it dies with the namespace.
 */
class SlurmInNamespaceTest {

  @TempDir Path tmp;

  @Test
  void escapeeKilledWhileTheJobRunsAndCompletesSecondJobUntouchedFailsClosedWithoutCtld()
      throws Exception {
    Path beds = Path.of("src/test/testbeds").toAbsolutePath();
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "B=" + beds,
        "$B/slurm install >/dev/null && $B/slurm start || { echo BED-FAILED; exit 0; }",
        "trap 'echo stopping; timeout 60 $B/slurm stop >/dev/null 2>&1' EXIT; echo started",
        "chmod 755 $T; W=$T/jobs; mkdir -p $W; chmod 777 $W",
        // an idle node first: scontrol listpids, asked early, has no job to name
        "reap --debug --json > $T/idle.json 2> $T/idle.err; cat $T/idle.err",
        // job 1: a legit foreground and a setsid double-forked escapee
        "printf '%s\\n' '#!/bin/bash' "
            + "\"setsid bash -c 'exec -a orphan-escapee sleep 600 &' &\" "
            + "'exec -a legit-foreground sleep 12' > $W/job1.sh",
        // job 2: another user's job that must stay untouched throughout
        "printf '%s\\n' '#!/bin/bash' 'exec -a second-job sleep 25' > $W/job2.sh",
        "chmod 755 $W/job1.sh $W/job2.sh",
        "J1=$(cd $W && runuser -u ortest1 -- sbatch --parsable -o $W/j1.out $W/job1.sh)",
        "J2=$(cd $W && runuser -u ortest2 -- sbatch --parsable -o $W/j2.out $W/job2.sh)",
        "long_wait() { for _ in $(seq 300); do [ \"$(count \"$1\")\" -ge 1 ] && return 0;"
            + " sleep 0.1; done; echo \"timeout waiting for $1\" >&2; return 1; }",
        "long_wait orphan-escapee; long_wait legit-foreground; long_wait second-job",
        "echo before escapee=$(count orphan-escapee) legit=$(count legit-foreground)"
            + " second=$(count second-job)",
        // a user process posing as slurmstepd, with a child: must not protect it (lineage)
        "orphan spoofer 5001 bash -c 'exec -a slurmstepd bash -c \"exec -a spoofed-child"
            + " sleep 600 & wait\"'",
        "wait_for spoofed-child",
        // the default scope first, as a preview: Slurm is asked while the families are read,
        // and the job processes scontrol listpids names are spared their cgroup reads
        "reap --debug --json > $T/preview.json",
        "printf '%s\\n' 'defaults: { scope: lineage }' 'rules:' '  - name: strays'"
            + " '    action: kill' > $T/lineage.yaml",
        "echo reaping; RULES=$T/lineage.yaml reap --json --kill-after 2s > $T/kill.json",
        "echo after escapee=$(count orphan-escapee) legit=$(count legit-foreground)"
            + " second=$(count second-job) spoofed=$(count spoofed-child)",
        // job 1 still completes normally
        "for _ in $(seq 60); do st=$(timeout 5 squeue -h -j $J1 -t all -o %T 2>&1);"
            + " [ \"$st\" = COMPLETED ] && break; sleep 0.5; done; echo job1=$st",
        // with the controller down, nothing is killed
        "orphan orphan-while-down 5001 sleep 600",
        "wait_for orphan-while-down",
        "timeout 60 $B/slurm stop-ctld >/dev/null; echo ctld-stopped",
        "RULES=$T/lineage.yaml reap > $T/down.txt 2> $T/down.err",
        "echo down left=$(count orphan-while-down) second=$(count second-job)",
        "cat $T/down.err"), 300);
    assertThat(r.out()).as(r.err()).doesNotContain("BED-FAILED");
    assertThat(r.out()).contains("before escapee=1 legit=1 second=1")
        .contains("after escapee=0 legit=1 second=1 spoofed=0")
        .contains("job1=COMPLETED")
        .contains("down left=1 second=1")
        .contains("slurm: squeue failed (exit 1)").contains("nothing was killed");
    assertThat(r.reaperExits()).containsExactly(0, 0, 0, ExitCode.UNSAFE);
    assertThat(Files.readString(tmp.resolve("idle.json"))).startsWith("{\"version\":1,");
    String preview = Files.readString(tmp.resolve("preview.json"));
    String wouldKill = "\"result\":\"would-kill\"[^\\]]*\"cmdline\":\"";
    assertThat(preview).containsPattern(wouldKill + "orphan-escapee")
        .containsPattern(wouldKill + "spoofed-child")
        .doesNotContainPattern(wouldKill + "legit-foreground")
        .doesNotContainPattern(wouldKill + "second-job");
    String kill = Files.readString(tmp.resolve("kill.json"));
    assertThat(kill).contains("\"result\":\"killed\"")
        .contains("descends from no batch-system anchor");
  }
}
