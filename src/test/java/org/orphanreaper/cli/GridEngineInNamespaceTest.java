package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.PidNamespace;
import org.orphanreaper.TestBeds;

/**
 * A real single-node Grid Engine (src/test/testbeds/gridengine, ENABLE_ADDGRP_KILL=false so
 * leftovers survive their job) inside a PID namespace of the test's own with the reaper. The bed
 * runs on private copies of Debian's cell, spool and /etc/passwd bound over the host's in the
 * namespace's own mounts: the host's are left as they were.
 */
class GridEngineInNamespaceTest {

  /** What the bed must leave as it found it (Debian's cell and spool, the host's accounts). */
  private static final List<Path> HOST_FILES = List.of(Path.of("/var/lib/gridengine/default"),
      Path.of("/var/spool/gridengine"), Path.of("/etc/passwd"), Path.of("/etc/group"));

  @TempDir Path tmp;

  @Test
  void leftoversAreCaughtThroughTheEndedJobsGidAndActiveJobsAreUntouched() throws Exception {
    PidNamespace.assumeAvailable();
    TestBeds.require("gridengine");
    Path beds = Path.of("src/test/testbeds").toAbsolutePath();
    String hostBefore = listing();
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "B=" + beds,
        "export SGE_ROOT=/var/lib/gridengine SGE_CELL=default",
        // private copies of the cell, the spool and /etc/passwd etc. (ortest1/ortest2 with
        // $ORTEST1_UID/$ORTEST2_UID = PidNamespace.U1/U2) bound over the host's in this namespace
        "$B/gridengine start >/dev/null || { echo BED-FAILED; exit 0; }",
        "trap '$B/gridengine stop >/dev/null 2>&1' EXIT",
        "echo users $(id -u ortest1) $(id -u ortest2)",
        "long_wait() { for _ in $(seq 400); do [ \"$(count \"$1\")\" -ge \"${2:-1}\" ] && return 0;"
            + " sleep 0.1; done; echo \"timeout waiting for $1\" >&2; return 1; }",
        "chmod 755 $T; W=$T/jobs; mkdir -p $W; chmod 777 $W",
        // job 1: an escapee, and a detached holder whose child stays its child (parent not init)
        "printf '%s\\n' '#!/bin/bash' "
            + "\"setsid bash -c 'exec -a ge-escapee sleep 600 &' &\" "
            + "\"setsid bash -c 'exec -a ge-holder bash -c \\\"exec -a ge-held sleep 601 & wait\\\""
            + " &' &\" "
            + "'exec -a ge-foreground sleep 15' > $W/job1.sh",
        "printf '%s\\n' '#!/bin/bash' 'exec -a ge-second sleep 90' > $W/job2.sh",
        "chmod 755 $W/job1.sh $W/job2.sh",
        "(cd $W && runuser -u ortest1 -- qsub -terse -S /bin/bash -o $W -j y $W/job1.sh)",
        "(cd $W && runuser -u ortest2 -- qsub -terse -S /bin/bash -o $W -j y $W/job2.sh)",
        "long_wait ge-escapee; long_wait \"ge-held 601\"; long_wait ge-foreground; long_wait ge-second",
        "printf '%s\\n' 'rules:' '  - name: gid-leftovers' '    match: { job: ended }'"
            + " '    action: kill' '  - name: rest' '    action: report' > $T/ge.yaml",
        "RULES=$T/ge.yaml reap --json --kill-after 2s > $T/running.json",
        "echo running escapee=$(count ge-escapee) held=$(count \"ge-held 601\")"
            + " fg=$(count ge-foreground) second=$(count ge-second)",
        // job 1 ends; its leftovers keep its GID, which no active job holds any more
        "for _ in $(seq 400); do [ \"$(count ge-foreground)\" = 0 ] && break; sleep 0.1; done",
        "sleep 3",
        "RULES=$T/ge.yaml reap --json --kill-after 2s > $T/ended.json",
        "echo ended escapee=$(count ge-escapee) held=$(count \"ge-held 601\")"
            + " second=$(count ge-second)",
        // without the qmaster, gid_range cannot be asked: nothing is killed
        "orphan ge-while-down $ORTEST1_UID sleep 600; long_wait ge-while-down",
        "$B/gridengine stop-ctld >/dev/null",
        "RULES=$T/ge.yaml reap > $T/down.txt 2> $T/down.err",
        "echo down left=$(count ge-while-down) second=$(count ge-second)",
        "cat $T/down.err"), 400);
    assertThat(r.out()).as(r.err()).doesNotContain("BED-FAILED");
    assertThat(r.out())
        .contains("users " + PidNamespace.U1 + " " + PidNamespace.U2 + "\n")
        .contains("running escapee=1 held=1 fg=1 second=1")
        .contains("ended escapee=0 held=0 second=1")
        .contains("down left=1 second=1")
        .contains("gridengine: qconf -sconf failed").contains("nothing was killed");
    assertThat(r.reaperExits()).containsExactly(0, 0, ExitCode.UNSAFE);
    assertThat(Files.readString(tmp.resolve("running.json")))
        .contains("belongs to gridengine job").doesNotContain("\"result\":\"killed\"");
    assertThat(Files.readString(tmp.resolve("ended.json")))
        .contains("\"rule\":\"gid-leftovers\"").contains("\"result\":\"killed\"")
        .contains("job: held by pid");
    assertThat(listing()).as("the host's Grid Engine cell, spool and accounts")
        .isEqualTo(hostBefore);
  }

  /** Every file under {@link #HOST_FILES}: path, type, size, modification time. */
  private static String listing() throws IOException {
    StringBuilder out = new StringBuilder();
    for (Path top : HOST_FILES) {
      if (!Files.exists(top)) {
        continue;
      }
      try (Stream<Path> all = Files.walk(top)) {
        for (Path p : all.sorted().toList()) {
          out.append(p).append(Files.isDirectory(p) ? " d " : " f ").append(Files.size(p))
              .append(' ').append(Files.getLastModifiedTime(p).toMillis()).append('\n');
        }
      }
    }
    return out.toString();
  }
}
