package org.orphanreaper.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.proc.Part;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.Snapshot;

/**
 * Slurm and Grid Engine evidence from captured real outputs (Slurm 22.05 and Son of Grid Engine
 * 8.1.9 on Debian 12, see src/test/testbeds), and detection that cannot be spoofed.
 */
public class EvidenceTest {

  @TempDir Path dir;

  // scontrol listpids, captured while job 12 ran
  public static final String LISTPIDS = "PID      JOBID    STEPID   LOCALID GLOBALID\n"
      + "3276     12       batch    0       0       \n3313     12       batch    -       -   \n";
  static final String SQUEUE_DOWN =
      "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n";
  static final String SQUEUE_PURGED = "slurm_load_jobs error: Invalid job id specified\n";

  /**
   * A controller that knows job 12 running, 13 completed, 14 suspended and 15 completing, each
   * asked alone ({@code squeue --jobs=J}, as the real one answers with {@code --format=%A|%T});
   * every other job is unknown to it (purged).
   */
  public static FakeRunner controller(FakeRunner r) {
    for (String line : List.of("12|RUNNING", "13|COMPLETED", "14|SUSPENDED", "15|COMPLETING")) {
      r.answer("squeue --jobs=" + line.substring(0, 2), 0, line + "\n", "");
    }
    return r.answer("squeue", 1, "", SQUEUE_PURGED);
  }

  private Snapshot snapshot(FakeProc fp) throws Exception {
    ProcFs procfs = new ProcFs(fp.root());
    Snapshot s = procfs.scan();
    return procfs.read(s, s.processes().keySet(), Part.FULL_WITH_CGROUP);
  }

  private static SlurmEvidence slurm(CommandRunner runner) {
    return new SlurmEvidence(runner, new SlurmCommands(SlurmCommands.Command.at("/usr/bin/scontrol"),
        SlurmCommands.Command.at("/usr/bin/squeue")), BatchSystems.TIMEOUT);
  }

  @Test
  void slurmMarksByCgroupAndListpids() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(3276).cgroup("0::/").write();
    fp.proc(3313).cgroup("0::/").write();
    fp.proc(400).cgroup("4:freezer:/slurm_node1/uid_5001/job_12/step_batch").write();
    fp.proc(401).cgroup("0::/system.slice/slurmstepd.scope/job_13/step_0/user/task_0").write();
    fp.proc(402).cgroup("4:freezer:/slurm/uid_5001/job_99/step_batch").write();
    fp.proc(403).cgroup("0::/system.slice/slurmstepd.scope/job_14/step_batch").write();
    fp.proc(500).cgroup("0::/user.slice/job_12").write(); // not Slurm's
    FakeRunner runner = controller(new FakeRunner())
        .answer("scontrol listpids", 0, LISTPIDS, "");
    SlurmEvidence slurm = slurm(runner);
    Map<Integer, List<JobMark>> marks =
        slurm.collect(snapshot(fp), List.of(3276, 3313, 400, 401, 402, 403, 500));
    assertThat(marks.get(3276)).containsExactly(
        new JobMark("slurm", "12", JobState.RUNNING, "scontrol listpids"));
    // job 12 has a step on this node: no need to ask the controller about it
    assertThat(marks.get(400)).containsExactly(
        new JobMark("slurm", "12", JobState.RUNNING, "cgroup"));
    assertThat(marks.get(401)).containsExactly(
        new JobMark("slurm", "13", JobState.ENDED, "cgroup"));
    // a job the controller no longer knows has ended; a suspended one still runs
    assertThat(marks.get(402)).extracting(JobMark::state).containsExactly(JobState.ENDED);
    assertThat(marks.get(403)).extracting(JobMark::state).containsExactly(JobState.RUNNING);
    assertThat(marks).doesNotContainKey(500);
    assertThat(runner.asked).containsExactlyInAnyOrder("scontrol listpids", "squeue --jobs=13",
        "squeue --jobs=99", "squeue --jobs=14");
    assertThat(slurm.controllerCalls()).isEqualTo(3);
    assertThat(slurm.problems()).isEmpty();
  }

  @Test
  void slurmNamesTheListedProcessesFirstAndAsksTheControllerOnlyAboutMarkedJobs()
      throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(401).cgroup("0::/system.slice/slurmstepd.scope/job_13/step_0/user/task_0").write();
    fp.proc(402).cgroup("0::/system.slice/slurmstepd.scope/job_13/step_0/user/task_0").write();
    FakeRunner runner = controller(new FakeRunner())
        .answer("scontrol listpids", 0, LISTPIDS, "");
    SlurmEvidence slurm = slurm(runner);
    assertThat(slurm.knownRunning()).containsExactlyInAnyOrder(3276, 3313);
    assertThat(runner.asked).containsExactly("scontrol listpids");
    // the marks: the controller asked now, about job 13 once; listpids's answer kept
    assertThat(slurm.collect(snapshot(fp), List.of(3276, 401, 402)))
        .containsOnlyKeys(3276, 401, 402);
    assertThat(runner.asked).containsExactly("scontrol listpids", "squeue --jobs=13");
    // asked again later (a leftover's members), an ended job is asked about again: the later
    // cgroup reads could name a job submitted after the first answer
    slurm.collect(snapshot(fp), List.of(401));
    assertThat(runner.asked).containsExactly("scontrol listpids", "squeue --jobs=13",
        "squeue --jobs=13");
  }

  /** scontrol listpids on a node without job steps, as Slurm 22.05 printed it (the test bed). */
  static CommandRunner.Result idleListpids() throws Exception {
    String[] idle = Files.readString(
        Path.of("src/test/resources/evidence/slurm-scontrol-listpids-idle.txt")).split("\n", 3);
    return new CommandRunner.Result(1, idle[2], idle[1] + "\n");
  }

  @Test
  void anIdleNodeWithoutMarkedProcessesAsksTheControllerNothing() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(600).cgroup("0::/user.slice").write();
    fp.proc(401).cgroup("0::/system.slice/slurmstepd.scope/job_13/step_0/user/task_0").write();
    CommandRunner.Result idle = idleListpids();
    FakeRunner runner = controller(new FakeRunner())
        .answer("scontrol listpids", idle.exit(), idle.stdout(), idle.stderr());
    SlurmEvidence slurm = slurm(runner);
    assertThat(slurm.knownRunning()).isEmpty();
    assertThat(slurm.collect(snapshot(fp), List.of(1, 600))).isEmpty();
    assertThat(runner.asked).containsExactly("scontrol listpids");
    assertThat(slurm.problems()).isEmpty();
    // a leftover of an ended job: the controller is asked about that job alone
    assertThat(slurm.collect(snapshot(fp), List.of(600, 401)).get(401))
        .containsExactly(new JobMark("slurm", "13", JobState.ENDED, "cgroup"));
    assertThat(runner.asked).containsExactly("scontrol listpids", "squeue --jobs=13");
  }

  @Test
  void aFailingListpidsLeavesUnjudgedOnlyTheProcessesWithoutAJobCgroup() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(600).cgroup("0::/user.slice").write();
    fp.proc(401).cgroup("0::/system.slice/slurmstepd.scope/job_13/step_0/user/task_0").write();
    // 24.11-25.11 print nothing at all when one step cannot be asked
    FakeRunner runner = controller(new FakeRunner()).answer("scontrol listpids", 1, "",
        "slurm_pid2jobid: error: Connection refused\n");
    SlurmEvidence slurm = slurm(runner);
    assertThat(slurm.knownRunning()).isEmpty();
    Map<Integer, List<JobMark>> marks = slurm.collect(snapshot(fp), List.of(600, 401));
    assertThat(marks.get(600)).containsExactly(new JobMark("slurm", "?", JobState.UNKNOWN,
        "scontrol listpids failed (exit 1): slurm_pid2jobid: error: Connection refused"));
    assertThat(marks.get(401)).extracting(JobMark::state).containsExactly(JobState.ENDED);
    assertThat(slurm.problems()).containsExactly("slurm: scontrol listpids failed (exit 1):"
        + " slurm_pid2jobid: error: Connection refused; families with a process outside every"
        + " job cgroup are not judged");
    // asked once per run, whatever it said
    slurm.collect(snapshot(fp), List.of(600));
    assertThat(runner.asked).containsOnlyOnce("scontrol listpids");
  }

  @Test
  void listpidsAnswersAreIdleListedOrUnknown() throws Exception {
    assertThat(SlurmListing.of(idleListpids())).isInstanceOf(SlurmListing.Idle.class);
    // 24.11 and later: nothing on stdout when idle
    assertThat(SlurmListing.of(new CommandRunner.Result(1, "", SlurmListing.IDLE_MESSAGE
        + "\n"))).isInstanceOf(SlurmListing.Idle.class);
    assertThat(SlurmListing.of(new CommandRunner.Result(0, LISTPIDS, "")))
        .isEqualTo(new SlurmListing.Listed(Map.of(3276, "12", 3313, "12"), java.util.Set.of("12")));
    // any other failure, rows beside the idle message, complaints beside rows: unknown
    assertThat(SlurmListing.of(new CommandRunner.Result(1, "", "slurm_load_job error\n")))
        .isEqualTo(new SlurmListing.Unknown("scontrol listpids failed (exit 1):"
            + " slurm_load_job error"));
    assertThat(SlurmListing.of(new CommandRunner.Result(1, LISTPIDS, SlurmListing.IDLE_MESSAGE)))
        .isInstanceOf(SlurmListing.Unknown.class);
    Map<Integer, String> rows = Map.of(3276, "12", 3313, "12");
    assertThat(SlurmListing.of(new CommandRunner.Result(0, LISTPIDS, "error: oops\n")))
        .isEqualTo(new SlurmListing.Unknown("scontrol listpids complained: error: oops", rows));
    // 22.05 to 24.05 and 26.05 print the steps they could ask, then fail for the one they
    // could not (source: src/scontrol/info_job.c _list_pids_one_step): the rows still protect
    SlurmListing partial = SlurmListing.of(new CommandRunner.Result(1, LISTPIDS,
        "Unable to connect to slurmstepd: Connection refused\n"));
    assertThat(partial).isEqualTo(new SlurmListing.Unknown("scontrol listpids failed (exit 1):"
        + " Unable to connect to slurmstepd: Connection refused", rows));
    assertThat(partial.runs("12")).isTrue();
    assertThat(partial.runs("13")).isFalse();
    assertThat(SlurmListing.of(new CommandRunner.Result(0, "3276 12\n", "")))
        .isEqualTo(new SlurmListing.Unknown(
            "scontrol listpids printed an unexpected line: 3276 12"));
  }

  @Test
  void listpidsIsReadLineByLineAndAnyOtherLineFailsTheAnswer() throws Exception {
    assertThat(SlurmListing.parse(LISTPIDS + "\t4001\t77\t0\t0\t0\r\n"))
        .containsExactlyInAnyOrderEntriesOf(Map.of(3276, "12", 3313, "12", 4001, "77"));
    assertThat(SlurmListing.parse("")).isEmpty();
    // as a real scontrol listpids printed it (the Slurm test bed, proctrack/cgroup)
    assertThat(SlurmListing.parse(Files.readString(
        Path.of("src/test/resources/evidence/slurm-cgroup-scontrol-listpids-running.txt"))))
        .containsExactlyInAnyOrderEntriesOf(Map.of(30735, "1", 30737, "1", 30738, "1"));
    for (String bad : List.of("3276 12", "x3276 12 batch", "3276 x12 batch", "3276,12 batch",
        "12345678901 12 batch", "2147483648 12 batch", "slurm_load_jobs error: oops")) {
      assertThatThrownBy(() -> SlurmListing.parse(LISTPIDS + bad + "\n"))
          .as(bad).isInstanceOf(EvidenceUnavailable.class)
          .hasMessage("scontrol listpids printed an unexpected line: " + bad);
    }
  }

  /**
   * The controller is asked about one job per call (several ids would make squeue load the whole
   * queue), locally, in every state; 26.05's SLUID directories are asked by SLUID and matched by
   * squeue's SLUID field.
   */
  @Test
  void theControllerIsAskedAboutOneJobAtATimeByIdOrSluid() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(401).cgroup("0::/system.slice/slurmstepd.scope/sEKNKTV3WPV500/step_0/user/task_0")
        .write();
    fp.proc(402).cgroup("0::/slurm.slice/slurmstepd.scope/sEKNKTV3WPV5ZZ/step_batch/slurm")
        .write();
    fp.proc(403).cgroup("0::/system.slice/slurmstepd.scope/job_13/step_0/user/task_0").write();
    List<List<String>> asked = new java.util.ArrayList<>();
    CommandRunner.Result idle = idleListpids();
    CommandRunner runner = (argv, timeout) -> {
      asked.add(argv);
      if (argv.get(1).equals("listpids")) {
        return idle;
      }
      return switch (argv.get(1)) {
        case "--jobs=sEKNKTV3WPV500" -> new CommandRunner.Result(0, "sEKNKTV3WPV500|COMPLETED\n",
            "");
        case "--jobs=sEKNKTV3WPV5ZZ" -> new CommandRunner.Result(0, "sEKNKTV3WPV5ZZ|RUNNING\n",
            "");
        default -> new CommandRunner.Result(0, "13|COMPLETING\n", "");
      };
    };
    Map<Integer, List<JobMark>> marks = new SlurmEvidence(runner, new SlurmCommands(
        SlurmCommands.Command.at("/opt/slurm/bin/scontrol"),
        SlurmCommands.Command.at("/opt/slurm/bin/squeue")), BatchSystems.TIMEOUT)
        .collect(snapshot(fp), List.of(401, 402, 403));
    assertThat(marks.get(401)).containsExactly(
        new JobMark("slurm", "sEKNKTV3WPV500", JobState.ENDED, "cgroup"));
    assertThat(marks.get(402)).extracting(JobMark::state).containsExactly(JobState.RUNNING);
    assertThat(marks.get(403)).extracting(JobMark::state).containsExactly(JobState.RUNNING);
    assertThat(asked).contains(List.of("/opt/slurm/bin/scontrol", "listpids"),
        List.of("/opt/slurm/bin/squeue", "--jobs=sEKNKTV3WPV500", "--local", "--noheader",
            "--states=all", "--format=%s|%T"),
        List.of("/opt/slurm/bin/squeue", "--jobs=13", "--local", "--noheader", "--states=all",
            "--format=%A|%T")).hasSize(4);
  }

  @Test
  void aControllerThatCannotBeAskedLeavesItsJobsUnjudged() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(401).cgroup("0::/system.slice/slurmstepd.scope/job_13/step_0/user/task_0").write();
    fp.proc(600).cgroup("0::/user.slice").write();
    CommandRunner.Result idle = idleListpids();
    FakeRunner down = new FakeRunner().answer("squeue", 1, "", SQUEUE_DOWN)
        .answer("scontrol listpids", idle.exit(), idle.stdout(), idle.stderr());
    SlurmEvidence slurm = slurm(down);
    Map<Integer, List<JobMark>> marks = slurm.collect(snapshot(fp), List.of(401, 600));
    assertThat(marks.get(401)).containsExactly(new JobMark("slurm", "13", JobState.UNKNOWN,
        "cgroup; squeue failed (exit 1): slurm_load_jobs error: Unable to contact slurm"
            + " controller (connect failure)"));
    assertThat(marks).doesNotContainKey(600);
    assertThat(slurm.problems()).containsExactly("slurm: cannot tell whether job 13 has ended:"
        + " squeue failed (exit 1): slurm_load_jobs error: Unable to contact slurm controller"
        + " (connect failure)");
    // a missing squeue, a line that is not JOBID|STATE, no line for the job: unknown too
    FakeRunner missing = new FakeRunner()
        .answer("scontrol listpids", idle.exit(), idle.stdout(), idle.stderr());
    assertThat(slurm(missing).collect(snapshot(fp), List.of(401)).get(401))
        .extracting(JobMark::state).containsExactly(JobState.UNKNOWN);
    assertThat(SlurmController.parse("13", "13|RUNNING\nsqueue: error: oops\n").state())
        .isEqualTo(JobState.RUNNING);
    assertThat(SlurmController.parse("13", "squeue: error: oops\n13|RUNNING\n"))
        .isEqualTo(new SlurmController.Answer(JobState.UNKNOWN,
            "squeue printed an unexpected line: squeue: error: oops"));
    assertThat(SlurmController.parse("13", "").state()).isEqualTo(JobState.UNKNOWN);
    assertThat(SlurmController.parse("13", "14|RUNNING\n13|TIMEOUT\n"))
        .isEqualTo(new SlurmController.Answer(JobState.ENDED, "TIMEOUT"));
  }

  /**
   * A hung scontrol, then a hung controller (the issue's node: 42 s for two 20 s timeouts in a
   * row, and one more per leftover's job): all calls of the run share one budget. Each call has
   * what is left of it, at most its own limit; once it is spent the calls are not made, and each
   * leaves unjudged exactly what its answer would have judged.
   */
  @Test
  void hungCommandsShareTheRunsBudgetAndWhatIsNotAskedStaysUnjudged() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(401).cgroup("0::/system.slice/slurmstepd.scope/job_13/step_0/user/task_0").write();
    fp.proc(402).cgroup("0::/system.slice/slurmstepd.scope/job_14/step_0/user/task_0").write();
    fp.proc(600).cgroup("0::/user.slice").write();
    FakeRunner hung = new FakeRunner().hang("scontrol listpids").hang("squeue");
    SlurmEvidence slurm = slurm(new BudgetedRunner(hung, BatchSystems.BUDGET, hung::nanoTime));
    Map<Integer, List<JobMark>> marks = slurm.collect(snapshot(fp), List.of(401, 402, 600));
    // 20 s for listpids, the 10 s left for the first squeue; the second is not made
    assertThat(hung.asked).containsExactly("scontrol listpids", "squeue --jobs=13");
    assertThat(hung.timeouts).containsExactly(Duration.ofSeconds(20), Duration.ofSeconds(10));
    assertThat(Duration.ofNanos(hung.nanoTime())).isEqualTo(BatchSystems.BUDGET);
    assertThat(marks.get(600)).containsExactly(new JobMark("slurm", "?", JobState.UNKNOWN,
        "/usr/bin/scontrol listpids did not answer within 20s"));
    assertThat(marks.get(401)).containsExactly(new JobMark("slurm", "13", JobState.UNKNOWN,
        "cgroup; /usr/bin/squeue did not answer within 10s, all that was left of the 30s this"
            + " run may wait for batch-system commands"));
    assertThat(marks.get(402)).containsExactly(new JobMark("slurm", "14", JobState.UNKNOWN,
        "cgroup; /usr/bin/squeue was not run: the 30s this run may wait for batch-system"
            + " commands are spent"));
    assertThat(slurm.problems()).hasSize(3);
    // asked again later in the run (a leftover's members): nothing more is run
    assertThat(slurm.collect(snapshot(fp), List.of(401)).get(401))
        .extracting(JobMark::state).containsExactly(JobState.UNKNOWN);
    assertThat(hung.asked).hasSize(2);
  }

  @Test
  void gridEngineMarksByTrackingGid() throws Exception {
    Path spool = dir.resolve("spool");
    Files.createDirectories(spool.resolve("active_jobs/7.1"));
    Files.writeString(spool.resolve("active_jobs/7.1/addgrpid"), "65400\n");
    Files.createDirectories(spool.resolve("active_jobs/8.1")); // still starting: no addgrpid
    FakeProc fp = new FakeProc(dir.resolve("proc"));
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(600).groups("5001 65400").write();
    fp.proc(601).groups("5001 65401").write();
    fp.proc(602).groups("5001 6000").write();
    fp.proc(603).groups("5001 65400 65401").write(); // an ended job's GID and a running one's
    FakeRunner runner = new FakeRunner()
        .answer("qconf -sconf", 0, "execd_spool_dir  /var/spool/gridengine/execd\n"
            + "gid_range                    65400-65500\nqlogin_daemon  builtin\n", "");
    Map<Integer, List<JobMark>> marks = new GridEngineEvidence(runner, BatchSystems.TIMEOUT,
        spool).collect(snapshot(fp), List.of(600, 601, 602, 603));
    assertThat(marks.get(600)).containsExactly(
        new JobMark("gridengine", "7.1", JobState.RUNNING, "tracking gid 65400"));
    assertThat(marks.get(601)).containsExactly(
        new JobMark("gridengine", "gid 65401", JobState.ENDED, "tracking gid 65401"));
    assertThat(marks).doesNotContainKey(602);
    assertThat(new Evidence(marks).stateOf(603)).contains(JobState.RUNNING);
  }

  @Test
  void gridEngineFailsClosed() throws Exception {
    assertThatThrownBy(() -> GridEngineEvidence.activeGids(dir.resolve("nothing")))
        .isInstanceOf(EvidenceUnavailable.class).hasMessageContaining("cannot read");
    Files.createDirectories(dir.resolve("active_jobs/3.1"));
    Files.writeString(dir.resolve("active_jobs/3.1/addgrpid"), "x");
    assertThatThrownBy(() -> GridEngineEvidence.activeGids(dir))
        .hasMessageContaining("holds 'x', not a gid");
    assertThatThrownBy(() -> GridEngineEvidence.parseGidRange("qlogin_daemon builtin\n"))
        .hasMessage("gridengine: no gid_range in qconf -sconf");
    assertThatThrownBy(() -> GridEngineEvidence.parseGidRange(
        "gid_range 20000-99999999999999999999\n")).isInstanceOf(EvidenceUnavailable.class)
        .hasMessage("gridengine: gid_range 20000-99999999999999999999 is out of range");
    FakeRunner down = new FakeRunner().answer("qconf -sconf", 1, "",
        "error: commlib error: got select error (Connection refused)\n");
    assertThatThrownBy(() -> new GridEngineEvidence(down, BatchSystems.TIMEOUT, dir)
        .collect(null, List.of()))
        .hasMessageStartingWith("gridengine: qconf -sconf failed (exit 1): error: commlib");
  }

  @Test
  void onlyARootDaemonRunningItsOwnExecutableTurnsAProviderOn() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(50).uid(5001).comm("slurmd").exe("/usr/bin/sleep").write(); // exec -a slurmd
    fp.proc(51).uid(0).comm("sge_execd").exe("/tmp/sge_execd_not").write();
    Snapshot s = snapshot(fp);
    assertThat(BatchSystems.of(s).detect(s, new FakeRunner(), pid -> Optional.empty(), "h", Optional.empty()))
        .isEmpty();
    assertThat(BatchSystems.of(s).needsCgroups(s)).as("a user's 'slurmd' costs no cgroup reads")
        .isFalse();
    fp.proc(52).uid(5001).comm("condor_startd").exe("/home/u/condor_startd").write(); // a copy
    fp.proc(60).uid(0).comm("slurmd").exe("/usr/sbin/slurmd-wlm").write(); // Debian's
    // upgraded under the running daemon: the kernel says "(deleted)", it is still sge_execd
    fp.proc(61).uid(0).comm("sge_execd").exe("/usr/lib/gridengine/sge_execd (deleted)").write();
    Snapshot t = snapshot(fp);
    assertThat(BatchSystems.of(t).candidates()).containsExactlyInAnyOrder(50, 51, 52, 60, 61);
    assertThat(BatchSystems.of(t).needsCgroups(t)).isTrue();
    assertThat(BatchSystems.of(t).detect(t, new FakeRunner(), pid -> Optional.empty(), "h", Optional.empty()))
        .extracting(EvidenceProvider::name).containsExactly("slurm", "gridengine");
    fp.proc(62).uid(0).comm("condor_startd").exe("/usr/sbin/condor_startd").write();
    Snapshot u = snapshot(fp);
    assertThat(BatchSystems.of(u).detect(u, new FakeRunner(), pid -> Optional.empty(), "h", Optional.empty()))
        .extracting(EvidenceProvider::name).containsExactly("slurm", "gridengine", "htcondor");
  }

  private FakeProc condorNode() {
    return condorNode(new FakeProc(dir));
  }

  /**
   * A node running HTCondor with USE_GID_PROCESS_TRACKING, MIN/MAX_TRACKING_GID 65200-65299: a
   * job (21, 22) below starter 20, its escapee 30 (orphaned, same GID), a leftover 40 with child
   * 41 (a GID no starter's process holds), an unrelated orphan 50 and a user's fake starter 60.
   */
  public static FakeProc condorNode(FakeProc fp) {
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(10).uid(0).comm("condor_master").exe("/usr/sbin/condor_master").write();
    fp.proc(11).ppid(10).uid(0).comm("condor_procd").exe("/usr/sbin/condor_procd")
        .cmdline(PROCD_ARGV).write();
    fp.proc(12).ppid(10).uid(0).comm("condor_startd").exe("/usr/sbin/condor_startd").write();
    fp.proc(20).ppid(12).uid(0).comm("condor_starter").exe("/usr/sbin/condor_starter").write();
    fp.proc(21).ppid(20).uid(5001).comm("bash").groups("5001 65200").write(); // the job
    fp.proc(22).ppid(21).uid(5001).comm("sleep").groups("5001 65200").write();
    fp.proc(30).ppid(1).uid(5001).comm("escapee").groups("5001 65200").write(); // same job's
    fp.proc(40).ppid(1).uid(5001).comm("leftover").groups("5001 65201").write(); // no starter
    fp.proc(41).ppid(40).uid(5001).comm("child").groups("5001 65201").write();
    fp.proc(50).ppid(1).uid(5001).comm("nohup").write(); // nothing to do with HTCondor
    // a user's own "starter": renamed, or a copy of the binary; neither makes a job
    fp.proc(60).ppid(1).uid(5001).comm("condor_starter").exe("/usr/bin/sleep").write();
    fp.proc(61).ppid(60).uid(5001).comm("sleep").groups("5001 65201").write();
    fp.proc(70).ppid(1).uid(5001).comm("both").groups("5001 65200 65201").write();
    return fp;
  }

  /** condor_procd's argv as condor 23.9's master starts it with USE_GID_PROCESS_TRACKING. */
  static final String PROCD_ARGV = captured("htcondor-procd-cmdline.txt").strip();

  /** The first line after the comment of a real output captured by the test beds' selftest. */
  static String captured(String name) {
    try {
      return Files.readAllLines(Path.of("src/test/resources/evidence", name)).stream()
          .filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void htcondorRunningJobsByStarterLineageAndTheirTrackingGid() throws Exception {
    Snapshot s = snapshot(condorNode());
    Map<Integer, List<JobMark>> marks = new HtcondorEvidence()
        .collect(s, List.of(21, 22, 30, 40, 41, 50, 60, 61, 70));
    assertThat(marks.get(22)).containsExactly(new JobMark("htcondor", "of starter 20",
        JobState.RUNNING, "below condor_starter 20"));
    // the escapee left the starter's tree but carries a GID the job's processes still hold
    assertThat(marks.get(30)).containsExactly(new JobMark("htcondor", "of starter 20",
        JobState.RUNNING, "tracking gid 65200"));
    // a tracking GID no process below a starter holds: the job is over
    assertThat(marks.get(40)).containsExactly(new JobMark("htcondor", "gid 65201",
        JobState.ENDED, "tracking gid 65201"));
    assertThat(marks.get(41)).extracting(JobMark::state).containsExactly(JobState.ENDED);
    assertThat(marks.get(61)).extracting(JobMark::state).containsExactly(JobState.ENDED);
    // a running job's GID beside an ended one's: the process belongs to the running job
    assertThat(new Evidence(marks).stateOf(70)).contains(JobState.RUNNING);
    assertThat(marks).doesNotContainKeys(50, 60);
  }

  @Test
  void htcondorReusedGidDoesNotAdoptAnOlderLeftover() throws Exception {
    FakeProc fp = condorNode();
    // starter 20 (and its job) started 100 s ago; 35 carries the same GID but is 500 s old: a
    // crashed job's leftover whose GID the procd handed out again
    fp.proc(20).ppid(12).uid(0).comm("condor_starter").exe("/usr/sbin/condor_starter")
        .ageSeconds(100).write();
    fp.proc(21).ppid(20).uid(5001).comm("bash").groups("5001 65200").ageSeconds(99).write();
    fp.proc(30).ppid(1).uid(5001).comm("escapee").groups("5001 65200").ageSeconds(90).write();
    fp.proc(35).ppid(1).uid(5001).comm("old").groups("5001 65200").ageSeconds(500).write();
    Map<Integer, List<JobMark>> marks = new HtcondorEvidence()
        .collect(snapshot(fp), List.of(30, 35));
    assertThat(marks.get(30)).extracting(JobMark::state).containsExactly(JobState.RUNNING);
    assertThat(marks.get(35)).containsExactly(new JobMark("htcondor", "gid 65200",
        JobState.ENDED, "tracking gid 65200, older than starter 20 holding it"));
  }

  @Test
  void htcondorWithoutGidTrackingKnowsRunningJobsByLineageOnly() throws Exception {
    FakeProc fp = condorNode();
    fp.proc(11).ppid(10).uid(0).comm("condor_procd").exe("/usr/sbin/condor_procd")
        .cmdline("condor_procd -A /var/run/condor/procd_pipe -S 60 -C 106").write();
    Map<Integer, List<JobMark>> marks = new HtcondorEvidence()
        .collect(snapshot(fp), List.of(22, 30, 40));
    assertThat(marks).containsOnlyKeys(22);
  }

  @Test
  void htcondorFailsClosed() throws Exception {
    FakeProc fp = condorNode();
    // a procd started by a user (or a copy of it) tells nothing; without the real one the
    // tracking GIDs are unknown
    fp.proc(11).ppid(10).uid(5001).comm("condor_procd").exe("/usr/sbin/condor_procd")
        .cmdline(PROCD_ARGV).write();
    assertThatThrownBy(() -> new HtcondorEvidence().collect(snapshot(fp), List.of(30)))
        .isInstanceOf(EvidenceUnavailable.class).hasMessage(
            "htcondor: condor_startd runs but no condor_procd: cannot tell the tracking GIDs");
    fp.proc(11).ppid(10).uid(0).comm("condor_procd").exe("/usr/sbin/condor_procd")
        .cmdline("condor_procd -A /p -G 65299 65200").write();
    assertThatThrownBy(() -> new HtcondorEvidence().collect(snapshot(fp), List.of(30)))
        .hasMessage("htcondor: condor_procd has no usable GID range in "
            + "'condor_procd -A /p -G 65299 65200'");
    assertThatThrownBy(() -> HtcondorEvidence.parseRange("condor_procd -G 65200"))
        .isInstanceOf(EvidenceUnavailable.class);
    assertThat(HtcondorEvidence.parseRange(PROCD_ARGV)).hasValueSatisfying(
        r -> assertThat(r).containsExactly(65200, 65299));
  }

  @Test
  void evidenceStates() {
    Evidence e = new Evidence(Map.of(
        1, List.of(new JobMark("slurm", "1", JobState.ENDED, "cgroup"),
            new JobMark("slurm", "1", JobState.RUNNING, "scontrol listpids")),
        2, List.of(new JobMark("gridengine", "gid 9", JobState.ENDED, "tracking gid 9"))));
    assertThat(e.stateOf(1)).contains(JobState.RUNNING);
    assertThat(e.stateOf(2)).contains(JobState.ENDED);
    assertThat(e.stateOf(3)).isEmpty();
    // a running mark outweighs one that could not be judged, which outweighs an ended one
    Evidence u = new Evidence(Map.of(
        1, List.of(new JobMark("slurm", "?", JobState.UNKNOWN, "listpids failed"),
            new JobMark("slurm", "1", JobState.RUNNING, "cgroup")),
        2, List.of(new JobMark("slurm", "2", JobState.ENDED, "cgroup"),
            new JobMark("slurm", "?", JobState.UNKNOWN, "listpids failed"))));
    assertThat(u.stateOf(1)).contains(JobState.RUNNING);
    assertThat(u.unknown(1)).isEmpty();
    assertThat(u.stateOf(2)).contains(JobState.UNKNOWN);
    assertThat(u.unknown(2)).contains(new JobMark("slurm", "?", JobState.UNKNOWN,
        "listpids failed"));
  }
}
