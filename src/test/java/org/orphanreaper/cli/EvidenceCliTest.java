package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.evidence.CommandRunner;
import org.orphanreaper.evidence.EvidenceTest;
import org.orphanreaper.evidence.EvidenceUnavailable;
import org.orphanreaper.evidence.FakeRunner;
import org.orphanreaper.proc.Accounts;
import org.orphanreaper.proc.FakeProc;

/** Batch-system evidence through the whole run, with Slurm's answers replayed. */
class EvidenceCliTest {

  @TempDir Path dir;
  Path proc;
  Path rules;

  @BeforeEach
  void fixture() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    proc = dir.resolve("proc");
    FakeProc fp = new FakeProc(proc);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(10).uid(0).comm("slurmd").exe("/usr/sbin/slurmd").write();
    // an escapee still inside its running job's cgroup (proctrack/cgroup)
    fp.proc(400).cgroup("4:freezer:/slurm/uid_5001/job_12/step_batch").cmdline("in-job").write();
    // an escapee of a job that ended, and one with no job at all
    fp.proc(500).cgroup("4:freezer:/slurm/uid_5001/job_13/step_batch").cmdline("ended").write();
    fp.proc(600).cmdline("no-job").write();
    rules = dir.resolve("rules.yaml");
    Files.writeString(rules, "rules:\n  - name: leftovers\n    match: { job: ended }\n"
        + "    action: kill\n  - name: rest\n    action: report\n");
  }

  private String[] run(CommandRunner runner, String... args) {
    return run(runner, System::nanoTime, args);
  }

  /** @param clock what batch-system calls take time on */
  private String[] run(CommandRunner runner, LongSupplier clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Reaper reaper = new Reaper(new Reaper.Environment(s -> null, p -> null,
        new Accounts(dir.resolve("none"), dir.resolve("none"), dir.resolve("none"), false),
        dir.resolve("none.yaml"), runner, clock));
    int code;
    try {
      code = reaper.run(CommandLine.parse(args), new PrintWriter(out), new PrintWriter(err));
    } catch (UsageException e) {
      throw new AssertionError(e);
    }
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  /**
   * A controller that knows job 12 running, 13 completed (and 14, 15 not over); a node where a
   * step of job 12 runs.
   */
  private static FakeRunner slurmAnswering() {
    return EvidenceTest.controller(new FakeRunner())
        .answer("scontrol listpids", 0, EvidenceTest.LISTPIDS, "");
  }

  private String[] debugJson(CommandRunner runner, Path procfs) {
    return run(runner, "--debug", "--json", "--proc", procfs.toString(), "--rules",
        rules.toString());
  }

  @Test
  void aRunningJobProtectsAndJobRulesDecide() {
    FakeRunner slurm = slurmAnswering();
    String[] r = debugJson(slurm, proc);
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("\"root_pid\":400").contains("\"reason\":\"protected: pid 400"
            + " belongs to slurm job 12 running (cgroup)\"")
        .contains("\"root_pid\":500,\"sid\":500,\"uid\":5001,\"user\":\"5001\",\"action\":\"kill\","
            + "\"rule\":\"leftovers\"")
        .contains("\"root_pid\":600,\"sid\":600,\"uid\":5001,\"user\":\"5001\",\"action\":"
            + "\"report\"");
    String[] x = run(slurm, "--explain", "500", "--proc", proc.toString(), "--rules",
        rules.toString());
    assertThat(x[1]).contains("job [ended] vs [slurm job 13 ended (cgroup)] -> yes");
  }

  /** sshd (root, below init), a session of ortest1 and in it pid 802, of the ended job 13. */
  private FakeProc endedJobSessionBelowSshd() throws Exception {
    FakeProc fp = new FakeProc(proc);
    fp.proc(800).uid(0).comm("sshd").cmdline("sshd: /usr/sbin/sshd -D").write();
    fp.proc(801).ppid(800).sid(801).uid(0).comm("sshd").cmdline("sshd: ortest1 [priv]").write();
    fp.proc(802).ppid(801).sid(801).cgroup("4:freezer:/slurm/uid_5001/job_13/step_extern")
        .cmdline("ended-session").write();
    return fp;
  }

  @Test
  void aLeftoverBelowALiveRootProcessIsFoundThroughItsCgroupAlone() throws Exception {
    // ssh sessions adopted into jobs (pam_slurm_adopt) below sshd, a family the hard floor
    // protects through its first process: job 13 has ended, job 12 runs
    FakeProc fp = endedJobSessionBelowSshd();
    fp.proc(803).ppid(802).sid(801).cgroup("4:freezer:/slurm/uid_5001/job_13/step_extern")
        .cmdline("its-child").write();
    fp.proc(804).ppid(801).sid(801).cgroup("4:freezer:/slurm/uid_5001/job_12/step_extern")
        .cmdline("running-session").write();
    // named by scontrol listpids as job 12's, though its cgroup names the ended job 13: the
    // running job's word is final, so its cgroup is not even read
    fp.proc(3276).ppid(801).sid(801).cgroup("4:freezer:/slurm/uid_5001/job_13/step_extern")
        .cmdline("listed-session").write();
    FakeRunner slurm = slurmAnswering();
    String[] r = debugJson(slurm, proc);
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    // sshd's family: decided on sshd, its other members listed as unread
    assertThat(r[1]).contains("{\"root_pid\":800,\"sid\":800,\"uid\":0,")
        .contains("\"size\":6,\"processes\":[{\"pid\":800,")
        .contains("{\"root_pid\":802,\"sid\":801,\"uid\":5001,\"user\":\"5001\",\"action\":"
            + "\"kill\",\"rule\":\"leftovers\"")
        .contains("\"size\":2,\"processes\":[{\"pid\":802,").contains("\"cmdline\":\"its-child\"")
        .doesNotContain("\"root_pid\":804").doesNotContain("running-session")
        .doesNotContain("\"root_pid\":3276").doesNotContain("listed-session");
    // listpids before the unread members' cgroups are read, squeue after them, about the one
    // job whose mark was found and has no step here
    assertThat(slurm.asked).containsExactly("scontrol listpids", "squeue --jobs=13");
  }

  /**
   * The processes scontrol listpids names are not read beyond their stat, but their mark still
   * counts wherever they end up: here in the family around a leftover of an ended job.
   */
  @Test
  void aListedProcessBelowALeftoverStillProtectsItsFamily() throws Exception {
    FakeProc fp = endedJobSessionBelowSshd();
    fp.proc(3276).ppid(802).sid(801).cgroup("4:freezer:/slurm/uid_5001/job_12/step_0")
        .cmdline("listed-child").write();
    String[] r = debugJson(slurmAnswering(), proc);
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("{\"root_pid\":802,\"sid\":801,\"uid\":5001,\"user\":\"5001\","
        + "\"action\":\"keep\",\"rule\":null,\"reason\":\"protected: pid 3276 belongs to slurm"
        + " job 12 running (cgroup)\"");
  }

  /**
   * A job that starts during the run, and an ssh session adopted into it (pam_slurm_adopt) after
   * scontrol listpids answered: the controller is asked after the session's cgroup is read, so
   * the job is one it knows, running, and not one it does not know, taken for ended.
   */
  @Test
  void aJobStartedDuringTheRunIsNotTakenForOneThatEnded() throws Exception {
    FakeProc fp = endedJobSessionBelowSshd();
    fp.proc(805).ppid(801).sid(801).cgroup("0::/user.slice/user-5001.slice/session-4.scope")
        .cmdline("session-being-adopted").write();
    boolean[] started = {false};
    FakeRunner known = slurmAnswering();
    CommandRunner slurm = (argv, timeout) -> {
      String key = argv.get(0) + " " + argv.get(1);
      if (key.equals("scontrol listpids")) {
        started[0] = true; // job 99 starts; the session joins it
        try {
          Files.writeString(proc.resolve("805/cgroup"),
              "4:freezer:/slurm/uid_5001/job_99/step_extern\n");
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return new CommandRunner.Result(0, EvidenceTest.LISTPIDS, "");
      }
      if (key.equals("squeue --jobs=99") && started[0]) {
        return new CommandRunner.Result(0, "99|RUNNING\n", "");
      }
      return known.run(argv, timeout);
    };
    String[] r = debugJson(slurm, proc);
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("{\"root_pid\":802,").doesNotContain("\"root_pid\":805")
        .doesNotContain("session-being-adopted");
  }

  /**
   * The controller is down: the leftover of job 13 cannot be judged (its job may still run, for
   * all the node knows), so its family is left alone, said so, and the run exits 4; the family
   * no job marks is judged as usual, and job 12, which has a step here, needs no controller.
   */
  @Test
  void aControllerThatCannotBeAskedLeavesOnlyTheFamiliesThatNeedItUnjudged() {
    FakeRunner down = new FakeRunner().answer("squeue", 1, "",
        "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n")
        .answer("scontrol listpids", 0, EvidenceTest.LISTPIDS, "");
    String[] r = debugJson(down, proc);
    assertThat(r[0]).isEqualTo(Integer.toString(ExitCode.UNSAFE));
    assertThat(r[1]).contains("\"reason\":\"protected: pid 400 belongs to slurm job 12 running"
            + " (cgroup)\"")
        .contains("{\"root_pid\":500,\"sid\":500,\"uid\":5001,\"user\":\"5001\",\"action\":"
            + "\"keep\",\"rule\":null,\"reason\":\"not judged: pid 500: slurm could not tell"
            + " whether it belongs to a running job (cgroup; squeue failed (exit 1):"
            + " slurm_load_jobs error: Unable to contact slurm controller (connect failure))\"")
        .contains("\"root_pid\":600,\"sid\":600,\"uid\":5001,\"user\":\"5001\",\"action\":"
            + "\"report\"");
    assertThat(r[2]).isEqualTo("orphan-reaper: slurm: cannot tell whether job 13 has ended:"
        + " squeue failed (exit 1): slurm_load_jobs error: Unable to contact slurm controller"
        + " (connect failure)\n"
        + "orphan-reaper: family sid 500 (root pid 500, 1 processes) was not killed: not judged:"
        + " pid 500: slurm could not tell whether it belongs to a running job (cgroup; squeue"
        + " failed (exit 1): slurm_load_jobs error: Unable to contact slurm controller (connect"
        + " failure))\n"
        + "orphan-reaper: 1 family not judged; the others were judged as usual\n");
    assertThat(down.asked).containsExactly("scontrol listpids", "squeue --jobs=13");
  }

  /**
   * scontrol listpids fails for one step (a stale socket; 24.11 to 25.11 then print nothing at
   * all): processes in a job cgroup are still judged through the controller, the family outside
   * every job cgroup (proctrack/linuxproc could have a running job's process there) is not.
   */
  @Test
  void aFailingListpidsLeavesOnlyTheFamiliesOutsideJobCgroupsUnjudged() throws Exception {
    FakeRunner slurm = EvidenceTest.controller(new FakeRunner()).answer("scontrol listpids", 1,
        "", "Unable to connect to slurmstepd: Connection refused\n");
    String[] r = debugJson(slurm, proc);
    assertThat(r[0]).isEqualTo(Integer.toString(ExitCode.UNSAFE));
    assertThat(r[1]).contains("\"reason\":\"protected: pid 400 belongs to slurm job 12 running"
            + " (cgroup)\"")
        .contains("\"root_pid\":500,\"sid\":500,\"uid\":5001,\"user\":\"5001\",\"action\":"
            + "\"kill\",\"rule\":\"leftovers\"")
        .contains("\"root_pid\":600,\"sid\":600,\"uid\":5001,\"user\":\"5001\",\"action\":"
            + "\"keep\",\"rule\":null,\"reason\":\"not judged: pid 600: slurm could not tell"
            + " whether it belongs to a running job (scontrol listpids failed (exit 1): Unable to"
            + " connect to slurmstepd: Connection refused)\"");
    assertThat(r[2]).startsWith("orphan-reaper: slurm: scontrol listpids failed (exit 1): Unable"
            + " to connect to slurmstepd: Connection refused; families with a process outside"
            + " every job cgroup are not judged\n")
        .contains("orphan-reaper: family sid 600 (root pid 600, 1 processes) was not killed:")
        .endsWith("orphan-reaper: 1 family not judged; the others were judged as usual\n");
    assertThat(slurm.asked).containsExactlyInAnyOrder("scontrol listpids", "squeue --jobs=12",
        "squeue --jobs=13");
    Path metrics = dir.resolve("orphan_reaper.prom");
    run(slurm, "--debug", "--proc", proc.toString(), "--rules", rules.toString(), "--metrics",
        metrics.toString());
    assertThat(Files.readString(metrics)).contains("orphan_reaper_errors{kind=\"evidence\"} 1\n")
        .contains("orphan_reaper_run_success 0\n");
    // --explain gives the same verdict
    String[] x = run(slurm, "--explain", "600", "--proc", proc.toString(), "--rules",
        rules.toString());
    assertThat(x[0]).isEqualTo(Integer.toString(ExitCode.UNSAFE));
    assertThat(x[1]).contains("not judged: pid 600: slurm could not tell whether it belongs to a"
        + " running job");
  }

  /**
   * The controller hangs, and three leftovers' jobs are to be asked about: the run waits 30 s
   * in all (20 s for the first squeue, the 10 s left for the second), not 20 s per job, and the
   * third job is not asked. The three leftovers are not judged, each with its own reason; the
   * family no job marks is judged as usual; exit 4.
   */
  @Test
  void aHungControllerCostsTheRunOneBudgetNotOneTimeoutPerJob() throws Exception {
    FakeProc fp = new FakeProc(proc);
    fp.proc(501).cgroup("4:freezer:/slurm/uid_5001/job_14/step_batch").cmdline("ended").write();
    fp.proc(502).cgroup("4:freezer:/slurm/uid_5001/job_15/step_batch").cmdline("ended").write();
    FakeRunner hung = new FakeRunner().hang("squeue")
        .answer("scontrol listpids", 0, EvidenceTest.LISTPIDS, "");
    String[] r = run(hung, hung::nanoTime, "--debug", "--json", "--proc", proc.toString(),
        "--rules", rules.toString());
    assertThat(r[0]).isEqualTo(Integer.toString(ExitCode.UNSAFE));
    assertThat(hung.asked).containsExactly("scontrol listpids", "squeue --jobs=13",
        "squeue --jobs=14");
    assertThat(Duration.ofNanos(hung.nanoTime())).isEqualTo(Duration.ofSeconds(30));
    for (int pid : new int[] {500, 501, 502}) {
      assertThat(r[1]).contains("{\"root_pid\":" + pid + ",\"sid\":" + pid + ",\"uid\":5001,"
          + "\"user\":\"5001\",\"action\":\"keep\",\"rule\":null,\"reason\":\"not judged: pid "
          + pid + ": slurm could not tell whether it belongs to a running job");
    }
    assertThat(r[1]).contains("\"root_pid\":600,\"sid\":600,\"uid\":5001,\"user\":\"5001\","
        + "\"action\":\"report\"");
    assertThat(r[2]).contains("orphan-reaper: slurm: cannot tell whether job 15 has ended:"
            + " /usr/bin/squeue was not run: the 30s this run may wait for batch-system commands"
            + " are spent\n")
        .endsWith("orphan-reaper: 3 families not judged; the others were judged as usual\n");
  }

  @Test
  void htcondorRunningJobsProtectAndLeftoversAreFoundUnderLiveParents() throws Exception {
    Path condor = dir.resolve("condor");
    FakeProc fp = EvidenceTest.condorNode(new FakeProc(condor));
    // a leftover under a live root parent (cron): only its tracking GID tells
    fp.proc(70).ppid(1).uid(0).comm("cron").write();
    fp.proc(71).ppid(70).uid(5001).comm("held").groups("5001 65250").write();
    String[] r = debugJson(new FakeRunner(), condor);
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("\"root_pid\":30").contains("\"reason\":\"protected: pid 30"
            + " belongs to htcondor job of starter 20 running (tracking gid 65200)\"")
        .contains("\"root_pid\":40,\"sid\":40,\"uid\":5001,\"user\":\"5001\",\"action\":\"kill\","
            + "\"rule\":\"leftovers\"")
        .contains("\"root_pid\":71,\"sid\":71,\"uid\":5001,\"user\":\"5001\",\"action\":\"kill\","
            + "\"rule\":\"leftovers\"")
        .contains("\"root_pid\":50,\"sid\":50,\"uid\":5001,\"user\":\"5001\",\"action\":"
            + "\"report\"");
    // the job itself is below root's daemons, kept whole with them
    assertThat(r[1]).doesNotContain("\"root_pid\":21").doesNotContain("\"root_pid\":22");
  }

  /**
   * Without root the exe of root's processes cannot be read, so a slurmd cannot be verified:
   * the preview says that its jobs are not protected in it, instead of silently showing their
   * escapees as strays. (Kill mode, as root, treats the same as a batch system that cannot be
   * asked: nothing is killed.)
   */
  @Test
  void aDaemonThatCannotBeVerifiedIsSaidSoInAPreview() throws Exception {
    Path other = dir.resolve("other");
    FakeProc fp = new FakeProc(other);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(10).uid(0).comm("slurmd").noExe().write();
    fp.proc(11).uid(5001).comm("slurmd").noExe().write(); // a user's: verifies nothing anyway
    fp.proc(400).cmdline("in-job").write();
    String[] r = run(new FakeRunner(), "--debug", "--proc", other.toString(), "--rules",
        rules.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[2]).isEqualTo("orphan-reaper: cannot verify slurmd (pid 10): the executable"
        + " cannot be read (run as root to see it), so its jobs' processes are not protected in"
        + " this preview\n");
    assertThat(r[1]).contains("in-job");
  }
}
