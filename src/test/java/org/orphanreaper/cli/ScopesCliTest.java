package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.evidence.FakeRunner;
import org.orphanreaper.proc.Accounts;
import org.orphanreaper.proc.FakeProc;

/** Lineage scope, anchors that cannot be spoofed, subreapers, GID leftovers and --epilogue. */
class ScopesCliTest {

  @TempDir Path dir;
  Path proc;
  FakeProc fp;

  @BeforeEach
  void fixture() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    proc = dir.resolve("proc");
    fp = new FakeProc(proc);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    // a real job: root slurmstepd, the user's batch script and its child
    fp.proc(100).uid(0).comm("slurmstepd").exe("/usr/sbin/slurmstepd").write();
    fp.proc(101).ppid(100).sid(101).comm("slurm_script").cmdline("job-script").write();
    fp.proc(102).ppid(101).sid(101).comm("sleep").cmdline("job-child").write();
    // a user process under cron posing as slurmstepd (exec -a), with a child: anchors nothing
    fp.proc(200).ppid(400).sid(200).comm("bash").cmdline("slurmstepd: [9.batch]")
        .exe("/usr/bin/bash").write();
    fp.proc(201).ppid(200).sid(200).comm("sleep").cmdline("spoofed-child").write();
    // the root-owned slurmstepd binary run by a user: not root, anchors nothing either
    fp.proc(300).ppid(1).sid(300).comm("slurmstepd").exe("/usr/sbin/slurmstepd").write();
    // a stray that is not orphaned: its parent is a root cron daemon
    fp.proc(400).uid(0).comm("cron").write();
    fp.proc(401).ppid(400).sid(401).comm("python3").cmdline("stray-under-cron").write();
  }

  private String[] run(FakeRunner runner, String yaml, String... args) throws Exception {
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(rules, yaml);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Reaper reaper = new Reaper(new Reaper.Environment(s -> null, p -> null,
        new Accounts(dir.resolve("none"), dir.resolve("none"), dir.resolve("none"), false),
        dir.resolve("none.yaml"), runner));
    String[] all = new String[args.length + 4];
    all[0] = "--proc";
    all[1] = proc.toString();
    all[2] = "--rules";
    all[3] = rules.toString();
    System.arraycopy(args, 0, all, 4, args.length);
    int code = reaper.run(CommandLine.parse(all), new PrintWriter(out), new PrintWriter(err));
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  private static final String KILL_ALL = "rules:\n  - name: all\n    action: kill\n";

  @Test
  void lineageScopeSelectsEveryStrayAndNoSpoofedAnchorProtects() throws Exception {
    String[] r = run(new FakeRunner(), "defaults: { scope: lineage }\n" + KILL_ALL,
        "--debug", "--json");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    // the job's own processes descend from the verified slurmstepd: not candidates
    assertThat(r[1]).doesNotContain("\"pid\":101,").doesNotContain("\"pid\":102,");
    assertThat(KillInNamespaceTest.selectedRoots(r[1])).containsExactly(200, 300, 401);
    assertThat(r[1]).contains("\"reason\":\"rule 'all': stray, root 200 descends from no"
        + " batch-system anchor\"");
    String[] orphans = run(new FakeRunner(), KILL_ALL, "--debug", "--json");
    assertThat(KillInNamespaceTest.selectedRoots(orphans[1])).containsExactly(300);
  }

  /**
   * OpenSSH 9.8+ (Debian 13, RHEL 10): the listener sshd (root) forks and execs sshd-session
   * (root, the privileged monitor), which forks the user's sshd-session ("sshd-session:
   * alice@pts/0") and the user's shell. When ssh is restarted (a package upgrade) the sessions
   * stay and their root sshd-session is reparented to init: no sshd above them any more. The
   * root sshd-session is an anchor by the default list (Debian's and RHEL's paths), so the users'
   * interactive shells are not strays, in the lineage scope or under --epilogue.
   */
  @Test
  void opensshSessionsBelowARootSshdSessionAreNotStrays() throws Exception {
    // Debian 13: a listener and one session below it
    fp.proc(500).uid(0).comm("sshd").exe("/usr/sbin/sshd")
        .cmdline("sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups").write();
    fp.proc(501).ppid(500).sid(501).uid(0).comm("sshd-session")
        .exe("/usr/lib/openssh/sshd-session").cmdline("sshd-session: alice [priv]").write();
    fp.proc(502).ppid(501).sid(501).comm("sshd-session").exe("/usr/lib/openssh/sshd-session")
        .cmdline("sshd-session: alice@pts/0").write();
    fp.proc(503).ppid(502).sid(503).tty(34816).comm("bash").cmdline("-bash").write();
    // Debian 13 after "systemctl restart ssh": the session's root sshd-session is init's
    fp.proc(600).ppid(1).sid(600).uid(0).comm("sshd-session")
        .exe("/usr/lib/openssh/sshd-session").cmdline("sshd-session: bob [priv]").write();
    fp.proc(601).ppid(600).sid(600).comm("sshd-session").exe("/usr/lib/openssh/sshd-session")
        .cmdline("sshd-session: bob@pts/1").write();
    fp.proc(602).ppid(601).sid(602).tty(34817).comm("bash").cmdline("bob-shell").write();
    // RHEL 10, likewise restarted
    fp.proc(700).ppid(1).sid(700).uid(0).comm("sshd-session")
        .exe("/usr/libexec/openssh/sshd-session").cmdline("sshd-session: carol [priv]").write();
    fp.proc(701).ppid(700).sid(700).comm("sshd-session")
        .exe("/usr/libexec/openssh/sshd-session").cmdline("sshd-session: carol@pts/2").write();
    fp.proc(702).ppid(701).sid(702).tty(34818).comm("bash").cmdline("carol-shell").write();
    // a user's own copy of sshd-session, not root: anchors nothing
    fp.proc(800).ppid(1).sid(800).comm("sshd-session").exe("/usr/lib/openssh/sshd-session")
        .cmdline("sshd-session: fake [priv]").write();
    fp.proc(801).ppid(800).sid(800).comm("sleep").cmdline("below-fake-session").write();
    for (String[] r : new String[][] {
        run(new FakeRunner(), "defaults: { scope: lineage }\n" + KILL_ALL, "--debug", "--json"),
        run(new FakeRunner(), KILL_ALL, "--debug", "--json", "--epilogue")}) {
      assertThat(r[0]).as(r[2]).isEqualTo("0");
      for (int pid : new int[] {502, 503, 601, 602, 701, 702}) {
        assertThat(r[1]).as("pid " + pid).doesNotContain("\"pid\":" + pid + ",");
      }
      assertThat(KillInNamespaceTest.selectedRoots(r[1])).containsExactly(200, 300, 401, 800);
    }
  }

  @Test
  void epilogueKillsEveryStrayAtOnceButKeepRulesAndProtectStillSpare() throws Exception {
    String yaml = "protect:\n  - cmdline: 'stray-under-cron'\nrules:\n"
        + "  - name: young\n    match: { walltime: '< 1d' }\n    action: report\n";
    String[] r = run(new FakeRunner(), yaml, "--debug", "--json", "--epilogue");
    assertThat(KillInNamespaceTest.selectedRoots(r[1])).containsExactly(200, 300);
    assertThat(r[1]).contains("\"rule\":\"epilogue\"").contains("\"kill_after_s\":5");
  }

  @Test
  void aSubreaperCountsAsInit() throws Exception {
    fp.proc(500).comm("systemd").exe("/usr/lib/systemd/systemd").write();
    fp.proc(501).ppid(500).sid(501).comm("dbus-daemon").write();
    String yaml = "subreapers: ['/usr/lib/systemd/systemd']\n" + KILL_ALL;
    assertThat(KillInNamespaceTest.selectedRoots(run(new FakeRunner(), KILL_ALL, "--debug",
        "--json")[1])).containsExactly(300, 500);
    assertThat(KillInNamespaceTest.selectedRoots(run(new FakeRunner(), yaml, "--debug",
        "--json")[1])).containsExactly(300, 501);
  }

  /**
   * Where every process's credentials are read (here the lineage scope), so is every exe when
   * subreapers are configured: one whose comm is no name of its executable's (renamed, started
   * through a link elsewhere) is found by its exe, as it always was there, and its children are
   * judged as strays of their own.
   */
  @Test
  void whereEveryProcessIsReadASubreaperIsFoundByItsExeWhateverItsComm() throws Exception {
    fp.proc(950).comm("renamed").exe("/usr/lib/systemd/systemd").write();
    fp.proc(951).ppid(950).sid(951).comm("sleep").cmdline("below-renamed").write();
    String lineage = "defaults: { scope: lineage }\n";
    String yaml = "subreapers: ['/usr/lib/systemd/systemd']\n" + KILL_ALL;
    String[] r = run(new FakeRunner(), lineage + yaml, "--debug", "--json");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(KillInNamespaceTest.selectedRoots(r[1])).containsExactly(200, 300, 401, 951);
    assertThat(KillInNamespaceTest.selectedRoots(run(new FakeRunner(), lineage + KILL_ALL,
        "--debug", "--json")[1])).containsExactly(200, 300, 401, 950);
  }

  /**
   * Subreapers are matched by the kernel's exe link, which names the executable's real path,
   * while the pre-filter looks at comm, the basename of whatever path was executed: a symlink's
   * name (python3 for /usr/bin/python3 -> python3.11) or the real file's. Either configured path
   * finds processes started through the real file or through any symlink beside it.
   */
  @Test
  void aSubreaperIsFoundThroughItsSymlinks() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path real = Files.writeString(bin.resolve("python3.11"), "#!/bin/false\n");
    Files.createSymbolicLink(bin.resolve("python3"), Path.of("python3.11"));
    Files.createSymbolicLink(bin.resolve("py-init"), Path.of("python3"));
    Files.writeString(bin.resolve("other"), "\n");
    fp.proc(900).comm("python3").exe(real.toString()).write();
    fp.proc(901).ppid(900).sid(901).comm("sleep").cmdline("below-python3").write();
    fp.proc(920).comm("py-init").exe(real.toString()).write();
    fp.proc(921).ppid(920).sid(921).comm("sleep").cmdline("below-py-init").write();
    fp.proc(930).comm("python3.11").exe(real.toString()).write();
    fp.proc(931).ppid(930).sid(931).comm("sleep").cmdline("below-python3.11").write();
    // named like one, running something else: no subreaper
    fp.proc(940).comm("python3").exe(bin.resolve("other").toString()).write();
    fp.proc(941).ppid(940).sid(941).comm("sleep").write();
    assertThat(KillInNamespaceTest.selectedRoots(run(new FakeRunner(), KILL_ALL, "--debug",
        "--json")[1])).containsExactly(300, 900, 920, 930, 940);
    for (String configured : new String[] {"python3", "python3.11", "py-init"}) {
      String yaml = "subreapers: ['" + bin.resolve(configured) + "']\n" + KILL_ALL;
      String[] r = run(new FakeRunner(), yaml, "--debug", "--json");
      assertThat(r[0]).as(r[2]).isEqualTo("0");
      assertThat(KillInNamespaceTest.selectedRoots(r[1])).as(configured)
          .containsExactly(300, 901, 921, 931, 940);
    }
  }

  @Test
  void aGridEngineLeftoverIsCaughtThroughItsGidEvenWhenItsParentIsNotInit() throws Exception {
    Path spool = Files.createDirectories(dir.resolve("spool"));
    Files.createDirectories(spool.resolve("active_jobs/5.1"));
    Files.writeString(spool.resolve("active_jobs/5.1/addgrpid"), "65401\n");
    fp.proc(600).uid(0).comm("sge_execd").exe("/usr/lib/gridengine/sge_execd")
        .cwd(spool.toString()).write();
    // 401 (under cron) carries ended job's GID 65400; 700 an active job's GID 65401
    fp.proc(401).ppid(400).sid(401).comm("python3").cmdline("stray-under-cron")
        .groups("5001 65400").write();
    fp.proc(700).ppid(400).sid(700).comm("sleep").groups("5001 65401").write();
    FakeRunner ge = new FakeRunner().answer("qconf -sconf", 0, "gid_range 65400-65500\n", "");
    String yaml = "rules:\n  - name: leftovers\n    match: { job: ended }\n    action: kill\n";
    String[] r = run(ge, yaml, "--debug", "--json");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(KillInNamespaceTest.selectedRoots(r[1])).as(r[1]).containsExactly(401);
    assertThat(r[1]).contains("\"reason\":\"rule 'leftovers': leftover, root 401 carries the"
        + " mark of an ended job; job: held by pid 401\"").doesNotContain("\"root_pid\":700");
    FakeRunner down = new FakeRunner().answer("qconf -sconf", 1, "", "error: commlib error\n");
    assertThat(run(down, yaml, "--debug")[0]).isEqualTo(Integer.toString(ExitCode.UNSAFE));
  }
}
