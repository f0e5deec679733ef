package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.act.SignallingPath;
import org.orphanreaper.proc.FakeProc;

/** --debug over a fixture procfs, in process: the listing, the JSON and the exit code. */
class DebugOnFixtureTest {

  @TempDir Path dir;

  private String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  private void fixture() {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(2).ppid(0).uid(0).comm("kthreadd").kernelThread().write();
    fp.proc(100).uid(0).comm("sshd").cmdline("/usr/sbin/sshd -D").write();
    fp.proc(501).sid(500).comm("a) S 1 1 1").cmdline("evil \"quoted\"").ageSeconds(7200).write();
    fp.proc(502).ppid(501).sid(500).comm("sleep").cmdline("sleep 600").write();
    fp.proc(503).ppid(502).sid(500).state('Z').comm("defunct").write();
  }

  @Test
  void listingShowsTheSelectedFamilyAsAForest() {
    fixture();
    String[] r = run("--debug", "--proc", dir.toString(), "-u", "1000");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1]).containsPattern("family sid 500, user \\S+, 3 processes")
        .contains("would-kill").contains("reason: rule 'long-running-orphans': orphaned, parent"
            + " of root 501 is init; walltime 2h >= 1h")
        .contains("\\_ sleep 600").contains("[defunct]")
        .contains("debug: scanned 6 processes, 2 orphaned families; would kill 1 (3 processes),"
            + " would report 0, kept 1 (1 protected)\n"
            + "debug: signalling: " + SignallingPath.ofThisNode() + "\n")
        .doesNotContain("sshd");
    String[] v = run("--debug", "--verbose", "--proc", dir.toString());
    assertThat(v[1]).contains("/usr/sbin/sshd -D").contains("protected: pid 100 runs as uid 0");
  }

  @Test
  void jsonHasEveryFamilyWithActionAndReason() {
    fixture();
    String[] r = run("--debug", "--json", "--proc", dir.toString());
    assertThat(r[0]).isEqualTo("0");
    String j = r[1].trim();
    assertThat(j).startsWith("{\"version\":1,\"host\":").contains("\"mode\":\"debug\"")
        .contains("\"mode\":\"debug\",\"signalling\":\"" + SignallingPath.ofThisNode() + "\",")
        .contains("\"scanned\":6")
        .contains("{\"root_pid\":100,\"sid\":100,\"uid\":0,\"user\":")
        .contains("\"action\":\"keep\",\"rule\":null,\"reason\":\"protected: pid 100 runs as uid 0")
        .contains("\"root_pid\":501,\"sid\":500,\"uid\":5001")
        .contains("\"action\":\"kill\",\"rule\":\"long-running-orphans\"").contains("\"result\":\"would-kill\"")
        .contains("\"comm\":\"a) S 1 1 1\"").contains("\"cmdline\":\"evil \\\"quoted\\\"\"")
        .contains("\"walltime_s\":7200.0").contains("\"state\":\"Z\"");
    assertThat(KillInNamespaceTest.selectedRoots(j)).containsExactly(501);
  }

  @Test
  void aFamilyProtectedThroughItsFirstProcessIsDecidedWithoutReadingTheOthers() {
    fixture();
    FakeProc fp = new FakeProc(dir);
    // a job below its slurmstepd (parent init, own session), one member unreadable
    fp.proc(200).uid(0).comm("slurmstepd").cmdline("slurmstepd: [7.batch]").write();
    fp.proc(201).ppid(200).sid(200).comm("bash").cmdline("job-script").write();
    fp.proc(202).ppid(201).sid(200).comm("a.out").noStatus().write();
    // a user's family with root's process below its first: read whole, the later one protects
    fp.proc(300).sid(300).comm("nohup").cmdline("user-first").write();
    fp.proc(301).ppid(300).sid(300).uid(0).comm("sudo").cmdline("root-below").write();
    String[] r = run("--debug", "--json", "--proc", dir.toString());
    assertThat(r[1]).contains("\"reason\":\"protected: pid 200 runs as uid 0, below the minimum"
            + " uid 1000\"")
        .contains("\"size\":3,\"processes\":[{\"pid\":200,").doesNotContain("job-script")
        .doesNotContain("\"pid\":201").doesNotContain("\"pid\":202")
        .contains("\"reason\":\"protected: pid 301 runs as uid 0, below the minimum uid 1000\"")
        .contains("\"size\":2,\"processes\":[{\"pid\":300,").contains("\"cmdline\":\"root-below\"");
    String[] v = run("--debug", "--verbose", "--proc", dir.toString());
    assertThat(v[1]).contains("family sid 200, user root, 3 processes")
        .contains("slurmstepd: [7.batch]\n  (2 more below it, not read: the family is protected"
            + " through its first process)\n").doesNotContain("job-script")
        .contains("family sid 300, user ").contains("\\_ root-below");
  }

  /**
   * Uids are unsigned 32-bit: 3000000000 is a user (above the minimum, not reserved) and is
   * printed as it is; 4294967295 ((uid_t) -1, "no uid") and 65534 (the kernel's overflow uid,
   * nobody) never pass the floor, and are printed as numbers, not as "unknown".
   */
  @Test
  void uidsAboveTwoToTheThirtyFirstAreUnsigned() {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(700).comm("big").cmdline("big-uid-job").uid(3_000_000_000L).groups("5001")
        .ageSeconds(7200).write();
    fp.proc(701).ppid(700).sid(700).comm("sleep").cmdline("big-uid-child").uid(3_000_000_000L)
        .ageSeconds(7100).write();
    fp.proc(800).comm("noid").cmdline("no-uid-job").uid(4_294_967_295L).ageSeconds(7200).write();
    fp.proc(900).comm("nobody").cmdline("overflow-uid-job").uid(65534).ageSeconds(7200).write();
    String[] r = run("--debug", "--json", "--proc", dir.toString(), "-u", "1000");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("{\"root_pid\":700,\"sid\":700,\"uid\":3000000000,")
        .contains("\"uid\":3000000000,\"user\":\"")
        .doesNotContain("below the minimum uid")
        .contains("{\"root_pid\":800,\"sid\":800,\"uid\":4294967295,")
        .contains("\"reason\":\"protected: pid 800 runs as uid 4294967295, reserved")
        .contains("\"reason\":\"protected: pid 900 runs as uid 65534, reserved")
        .doesNotContain("\"uid\":-");
    assertThat(KillInNamespaceTest.selectedRoots(r[1])).containsExactly(700);
    String[] v = run("--debug", "--verbose", "--proc", dir.toString(), "-u", "1000");
    assertThat(v[1]).contains("family sid 700, user 3000000000, 2 processes")
        .contains("family sid 800, user 4294967295, 1 process")
        .doesNotContain("user ?").doesNotContain("-1294967296").doesNotContain("user -1");
    // a floor above 2^31 is a uid like any other
    String[] high = run("--debug", "--json", "--proc", dir.toString(), "-u", "3000000001");
    assertThat(high[0]).as(high[2]).isEqualTo("0");
    assertThat(high[1]).contains("\"reason\":\"protected: pid 700 runs as uid 3000000000,"
        + " below the minimum uid 3000000001\"");
  }

  @Test
  void thresholdsSpareAndSay() {
    fixture();
    String[] r = run("--debug", "--json", "--proc", dir.toString(), "-c", "1m");
    assertThat(r[1]).contains("\"reason\":\"cputime 00:00:00 below --cputime 00:01:00\"");
    assertThat(KillInNamespaceTest.selectedRoots(r[1])).isEmpty();
  }

  @Test
  void timingsNameEveryStageOnStderr() {
    fixture();
    String[] r = run("--debug", "--timings", "--proc", dir.toString());
    assertThat(r[2]).matches("(?s)timings: rules=\\d+\\.\\dms scan=\\S+ families=\\S+ describe=\\S+"
        + " evidence=\\S+ plan=\\S+ act=\\S+ report=\\S+ total=\\d+\\.\\dms\\n");
    assertThat(run("--debug", "--proc", dir.toString())[2]).isEmpty();
  }

  @Test
  void anUnreadableProcfsFailsClosed() {
    String[] r = run("--debug", "--proc", dir.resolve("nothing").toString());
    assertThat(r[0]).isEqualTo(Integer.toString(ExitCode.UNSAFE));
    assertThat(r[2]).startsWith("orphan-reaper: ").contains("nothing").contains("nothing was killed")
        .doesNotContain("Exception");
    assertThat(r[1]).isEmpty();
  }
}
