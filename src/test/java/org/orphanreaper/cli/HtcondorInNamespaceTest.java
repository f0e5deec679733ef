package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.PidNamespace;
import org.orphanreaper.TestBeds;

/**
 * A real single-node HTCondor 23.9 (src/test/testbeds/htcondor: Debian trixie's condor in a
 * chroot, USE_GID_PROCESS_TRACKING with GIDs 65200-65299) inside a PID namespace of the test's
 * own with the reaper. Leftovers arise as they do on real nodes: the startd, starter and procd
 * die (crash) while a job runs, so nothing kills the job's processes; the procd of the next pool
 * then hands the same GID to a new job.
 */
class HtcondorInNamespaceTest {

  @TempDir Path tmp;

  @Test
  void runningJobsAreKeptAndCrashLeftoversAreCaughtThroughTheirGid() throws Exception {
    PidNamespace.assumeAvailable();
    TestBeds.require("htcondor");
    Path beds = Path.of("src/test/testbeds").toAbsolutePath();
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "B=" + beds,
        "$B/htcondor start >/dev/null || { echo BED-FAILED; exit 0; }",
        "trap '$B/htcondor stop >/dev/null 2>&1' EXIT",
        "long_wait() { for _ in $(seq 600); do [ \"$(count \"$1\")\" -ge 1 ] && return 0;"
            + " sleep 0.1; done; echo \"timeout waiting for $1\" >&2; return 1; }",
        "chmod 755 $T",
        // ortest1/ortest2 exist in the bed's chroot only, with uids $ORTEST1_UID/$ORTEST2_UID
        // (PidNamespace.U1/U2, picked free on this host)
        // job 1 (ortest1): a double-forked escapee and its legitimate foreground process
        "printf '%s\\n' '#!/bin/bash' \"setsid bash -c 'exec -a hc-escapee sleep 600 &' &\""
            + " 'exec -a hc-foreground sleep 600' > $T/job1.sh",
        "printf '%s\\n' '#!/bin/bash' 'exec -a hc-second sleep 600' > $T/job2.sh",
        "$B/htcondor submit ortest1 $T/job1.sh >/dev/null",
        "$B/htcondor submit ortest2 $T/job2.sh >/dev/null",
        // not from any job: a stray, and a user's own "condor_starter" above a child
        "orphan hc-stray $ORTEST1_UID sleep 600",
        "orphan condor_starter $ORTEST1_UID bash -c 'exec -a hc-spoofed-child sleep 600 & wait'",
        "long_wait hc-escapee; long_wait hc-foreground; long_wait hc-second; long_wait hc-stray;"
            + " long_wait hc-spoofed-child",
        "echo gids $(grep -h '^Groups' /proc/$(pgrep -f -o hc-escapee)/status)",
        "printf '%s\\n' 'rules:' '  - name: leftovers' '    match: { job: ended }'"
            + " '    action: kill' '  - name: strays' '    match: { job: none }'"
            + " '    action: kill' > $T/hc.yaml",
        "RULES=$T/hc.yaml reap --json --kill-after 2s > $T/running.json",
        "echo running escapee=$(count hc-escapee) fg=$(count hc-foreground)"
            + " second=$(count hc-second) stray=$(count hc-stray)"
            + " spoofed=$(count hc-spoofed-child)",
        // the node's HTCondor dies under its jobs; the next pool reuses GID 65200 for job 3
        "$B/htcondor crash >/dev/null",
        "$B/htcondor start >/dev/null || echo RESTART-FAILED",
        "printf '%s\\n' '#!/bin/bash' 'exec -a hc-third sleep 600' > $T/job3.sh",
        "$B/htcondor submit ortest2 $T/job3.sh >/dev/null; long_wait hc-third",
        "echo third-gids $(grep -h '^Groups' /proc/$(pgrep -f -o hc-third)/status)",
        "for n in hc-escapee hc-second; do $REAPER --explain $(pgrep -f -o $n) --rules $T/hc.yaml;"
            + " done > $T/explain.txt 2>&1",
        "RULES=$T/hc.yaml reap --json --kill-after 2s > $T/crashed.json",
        "echo crashed escapee=$(count hc-escapee) fg=$(count hc-foreground)"
            + " second=$(count hc-second) third=$(count hc-third)"), 600);
    assertThat(r.out()).as(r.err()).doesNotContain("BED-FAILED").doesNotContain("RESTART-FAILED");
    assertThat(r.out())
        .containsPattern("gids Groups: " + PidNamespace.U1 + " 652\\d\\d\n")
        .contains("running escapee=1 fg=1 second=1 stray=0 spoofed=0")
        .contains("third-gids Groups: " + PidNamespace.U2 + " 65200")
        .contains("crashed escapee=0 fg=0 second=0 third=1");
    assertThat(r.reaperExits()).containsExactly(0, 0);
    assertThat(Files.readString(tmp.resolve("running.json")))
        .contains("belongs to htcondor job of starter")
        .contains("\"rule\":\"strays\"").contains("\"result\":\"killed\"");
    assertThat(Files.readString(tmp.resolve("crashed.json")))
        .contains("\"rule\":\"leftovers\"").contains("\"result\":\"killed\"");
    // whichever of job 1 and job 2 had GID 65200 lost it to job 3's starter, not the other way
    assertThat(Files.readString(tmp.resolve("explain.txt")))
        .containsPattern("job \\[ended\\] vs \\[htcondor job gid 65200 ended \\(tracking gid 65200,"
            + " older than starter \\d+ holding it\\)\\] -> yes");
  }
}
