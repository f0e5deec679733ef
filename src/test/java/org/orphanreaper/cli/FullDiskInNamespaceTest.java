package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.PidNamespace;

/**
 * A full or read-only file system under what kill mode writes (the grace state, the native stub,
 * the lock) never turns reaping off in silence: the run says what failed and what it means, on
 * stderr and at level err in syslog, and exits 4. The file systems are tiny tmpfs mounts and
 * read-only bind mounts in the scenario's own mount namespace, never the host's.
 */
class FullDiskInNamespaceTest {

  /** Script lines: $T/full, a 16 KiB tmpfs whose every block is taken. */
  private static final String FULL_TMPFS = "mkdir -p $T/full && mount -t tmpfs -o size=16k none"
      + " $T/full && { dd if=/dev/zero of=$T/full/fill bs=4k 2>/dev/null; true; }";

  /** Script lines: $T/ro, a directory bound read-only over itself. */
  private static final String READ_ONLY = "mkdir -p $T/ro && mount --bind $T/ro $T/ro"
      + " && mount -o remount,bind,ro $T/ro";

  @TempDir Path tmp;

  @BeforeEach
  void needsNamespaceAndSyslog() {
    PidNamespace.assumeAvailable();
    PidNamespace.assumeRsyslogd();
  }

  /**
   * A grace rule and a state that cannot be written: the families under the grace are never
   * killed (their first sighting is not kept), the others are, and every run says so and exits 4.
   */
  @Test
  void anUnwritableGraceStateIsSaidAndOnlyTheGracedFamiliesAreSpared() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "rsyslog",
        FULL_TMPFS,
        READ_ONLY,
        "printf '%s\\n' 'defaults: { grace: 1s }' 'rules:' '  - name: graced'"
            + " '    match: { cmdline: orphan-graced }' '    action: kill'"
            + " '  - name: at-once' '    match: { cmdline: orphan-now }' '    action: kill'"
            + " '    immediate: true' > $T/grace.yaml",
        "run() { $REAPER --syslog-socket $SYSLOG_SOCKET --rules $T/grace.yaml"
            + " --accounting $T/accounting.jsonl --metrics $T/metrics.prom --state \"$@\";"
            + " echo \"exit=$?\" >> $T/exits; }",
        "orphan orphan-graced $ORTEST1_UID sleep 1000",
        "orphan orphan-now $ORTEST1_UID sleep 1000",
        "wait_for orphan-graced; wait_for orphan-now",
        "run $T/full/grace.state",
        "echo first graced=$(count orphan-graced) now=$(count orphan-now)",
        "cp $T/metrics.prom $T/metrics-first.prom",
        // the grace of 1s is long over: a counted grace would kill the family now
        "sleep 2",
        "run $T/full/grace.state",
        "run $T/ro/grace.state",
        "echo later graced=$(count orphan-graced)",
        "sleep 0.5"), 180); // for rsyslogd to write the last lines
    String full = "grace cannot be counted: nothing under a grace will be killed until "
        + tmp.resolve("full") + " is writable";
    String readOnly = "grace cannot be counted: nothing under a grace will be killed until "
        + tmp.resolve("ro") + " is writable";
    assertThat(r.reaperExits()).as(r.err()).containsExactly(4, 4, 4);
    assertThat(r.out()).contains("first graced=1 now=0").contains("later graced=1");
    assertThat(r.err()).contains("orphan-reaper: cannot write grace state "
        + tmp.resolve("full/grace.state") + ": No space left on device; " + full)
        .contains("orphan-reaper: cannot write grace state " + tmp.resolve("ro/grace.state"))
        .contains("Read-only file system; " + readOnly);
    assertThat(syslog())
        .contains("err orphan-reaper cannot write grace state")
        .contains(full).contains(readOnly);
    assertThat(Files.readString(tmp.resolve("metrics-first.prom")))
        .contains("orphan_reaper_errors{kind=\"state\"} 1")
        .contains("orphan_reaper_run_success 0")
        .contains("orphan_reaper_processes_killed 1");
  }

  /**
   * A checkout's or test's run, where jffi extracts its stub when kill mode first binds native
   * code, with that directory full: the run says it cannot signal, syslog included, and kills
   * nothing; no "internal error".
   */
  @Test
  void aStubThatCannotBeExtractedStopsKillModeWithTheReason() throws Exception {
    PidNamespace.Result r = withVictim(List.of(FULL_TMPFS,
        "REAPER=${REAPER/ -cp / -Djffi.extract.dir=$T/full -cp }"), "reap");
    assertThat(r.reaperExits()).as(r.err()).containsExactly(4);
    assertThat(r.out()).contains("victim=1");
    String said = "kill mode cannot signal: jffi cannot load its native stub: could not load"
        + " jffi library from " + tmp.resolve("full") + ": No space left on device";
    assertThat(r.err()).doesNotContain("internal error").contains("orphan-reaper: " + said);
    assertThat(syslog()).contains("err orphan-reaper " + said);
  }

  /**
   * The installed launcher points jffi at the stub extracted at install time: when it is not
   * there, the run says so and kills nothing, and nothing is extracted anywhere instead.
   */
  @Test
  void aMissingPreExtractedStubIsSaidAndNothingIsExtracted() throws Exception {
    PidNamespace.Result r = withVictim(List.of("mkdir -p $T/native",
        "REAPER=${REAPER/ -cp / -Djffi.boot.library.path=$T/native -Djava.io.tmpdir=$T/jtmp -cp }"),
        "reap");
    assertThat(r.reaperExits()).as(r.err()).containsExactly(4);
    assertThat(r.out()).contains("victim=1 extracted=0");
    String said = "kill mode cannot signal: the native stub " + tmp.resolve("native")
        + "/libjffi-1.2.so is missing";
    assertThat(r.err()).contains("orphan-reaper: " + said);
    assertThat(syslog()).contains("err orphan-reaper " + said);
  }

  /**
   * The stub extracted once (as the package's install does) is what every run loads: with jffi's
   * extraction directory and the JVM's temp directory both unusable, kill mode signals and logs.
   */
  @Test
  void theStubExtractedOnceIsLoadedAndNothingIsExtractedAtRunTime() throws Exception {
    PidNamespace.Result r = withVictim(List.of(FULL_TMPFS,
        "${REAPER% org.orphanreaper.cli.Main *} org.orphanreaper.nativestub.StubInstaller"
            + " $T/native || echo INSTALL-FAILED",
        "ls $T/native",
        "mount --bind $T/native $T/native && mount -o remount,bind,ro $T/native",
        "REAPER=${REAPER/ -cp / -Djffi.boot.library.path=$T/native -Djffi.extract.dir=$T/full"
            + " -Djava.io.tmpdir=$T/jtmp -cp }"), "reap");
    assertThat(r.out()).as(r.err()).doesNotContain("INSTALL-FAILED").contains("libjffi-1.2.so");
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0);
    assertThat(r.out()).contains("victim=0 extracted=0");
    assertThat(syslog()).contains("notice orphan-reaper killed family");
  }

  /** A lock file that cannot be created (no inode left) or written: the reason, said once. */
  @Test
  void aLockThatCannotBeTakenOnAFullFileSystemSaysWhy() throws Exception {
    PidNamespace.Result r = withVictim(List.of(FULL_TMPFS, READ_ONLY,
        "mkdir -p $T/noinode && mount -t tmpfs -o size=16k,nr_inodes=2 none $T/noinode"
            + " && { touch $T/noinode/a $T/noinode/b 2>/dev/null; true; }",
        "lock() { REAPER=\"${REAPER% --lock *} --lock $1\"; }"),
        "(lock $T/noinode/lock; reap)", "(lock $T/full/lock; reap)", "(lock $T/ro/lock; reap)");
    assertThat(r.reaperExits()).as(r.err()).containsExactly(4, 4, 4);
    assertThat(r.out()).contains("victim=1");
    String syslog = syslog();
    for (String[] c : new String[][] {{"noinode", "No space left on device"},
        {"full", "No space left on device"}, {"ro", "Read-only file system"}}) {
      String said = "cannot take the lock " + tmp.resolve(c[0] + "/lock") + ": " + c[1]
          + "; kill mode runs only under it: nothing was scanned or killed";
      assertThat(r.err()).contains("orphan-reaper: " + said + "\n");
      assertThat(syslog).contains("err orphan-reaper " + said + "\n");
    }
  }

  /**
   * A scenario with a private rsyslogd: {@code setup}, then an orphaned family (orphan-victim),
   * then {@code runs}; it prints {@code victim=N extracted=N}, the family's live processes and
   * the files left in $T/jtmp.
   */
  private PidNamespace.Result withVictim(List<String> setup, String... runs) throws Exception {
    List<String> lines = new ArrayList<>(List.of("rsyslog", "mkdir -p $T/jtmp"));
    lines.addAll(setup);
    lines.addAll(List.of("orphan orphan-victim $ORTEST1_UID sleep 1000", "wait_for orphan-victim"));
    lines.addAll(List.of(runs));
    lines.add("echo victim=$(count orphan-victim) extracted=$(ls -A $T/jtmp | wc -l)");
    lines.add("sleep 0.5"); // for rsyslogd to write the last lines
    return PidNamespace.run(tmp, String.join("\n", lines), 120);
  }

  /** What the scenario's rsyslogd wrote, "FACILITY SEVERITY PROGRAM MESSAGE" a line. */
  private String syslog() throws IOException {
    // rsyslog keeps the space after the tag's colon in front of the message.
    return Files.readString(tmp.resolve("syslog.out"))
        .replaceAll("orphan-reaper +", "orphan-reaper ");
  }
}
