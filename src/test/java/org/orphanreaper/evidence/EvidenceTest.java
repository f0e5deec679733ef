package org.orphanreaper.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.Snapshot;

/**
 * Slurm and Grid Engine evidence from captured real outputs (Slurm 22.05 and Son of Grid Engine
 * 8.1.9 on Debian 12, see src/test/testbeds), and detection that cannot be spoofed.
 */
public class EvidenceTest {

  @TempDir Path dir;

  // squeue --noheader --all --states=all --format=%A|%T, as the real one prints it
  public static final String SQUEUE = "12|RUNNING\n13|COMPLETED\n14|SUSPENDED\n15|COMPLETING\n";
  // scontrol listpids, captured while job 12 ran
  public static final String LISTPIDS = "PID      JOBID    STEPID   LOCALID GLOBALID\n"
      + "3276     12       batch    0       0       \n3313     12       batch    -       -   \n";
  static final String SQUEUE_DOWN =
      "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n";

  private Snapshot snapshot(FakeProc fp) throws Exception {
    ProcFs procfs = new ProcFs(fp.root());
    Snapshot s = procfs.scan();
    return procfs.describe(s, s.processes().keySet());
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
    FakeRunner runner = new FakeRunner().answer("squeue --noheader", 0, SQUEUE, "")
        .answer("scontrol listpids", 0, LISTPIDS, "");
    Map<Integer, List<JobMark>> marks = new SlurmEvidence(runner, BatchSystems.TIMEOUT)
        .collect(snapshot(fp), List.of(3276, 3313, 400, 401, 402, 403, 500));
    assertThat(marks.get(3276)).containsExactly(
        new JobMark("slurm", "12", JobState.RUNNING, "scontrol listpids"));
    assertThat(marks.get(400)).containsExactly(
        new JobMark("slurm", "12", JobState.RUNNING, "cgroup"));
    assertThat(marks.get(401)).containsExactly(
        new JobMark("slurm", "13", JobState.ENDED, "cgroup"));
    // a job squeue no longer knows has ended; a suspended one still runs
    assertThat(marks.get(402)).extracting(JobMark::state).containsExactly(JobState.ENDED);
    assertThat(marks.get(403)).extracting(JobMark::state).containsExactly(JobState.RUNNING);
    assertThat(marks).doesNotContainKey(500);
  }

  @Test
  void slurmFailsClosed() {
    FakeRunner down = new FakeRunner().answer("squeue --noheader", 1, "", SQUEUE_DOWN);
    assertThatThrownBy(() -> new SlurmEvidence(down, BatchSystems.TIMEOUT).jobStates())
        .isInstanceOf(EvidenceUnavailable.class)
        .hasMessage("slurm: squeue failed (exit 1): slurm_load_jobs error: Unable to contact"
            + " slurm controller (connect failure)");
    assertThatThrownBy(() -> SlurmEvidence.parseSqueue("12|RUNNING\nsqueue: error: oops\n"))
        .hasMessage("slurm: squeue printed an unexpected line: squeue: error: oops");
    FakeRunner missing = new FakeRunner();
    assertThatThrownBy(() -> new SlurmEvidence(missing, BatchSystems.TIMEOUT).jobStates())
        .hasMessageContaining("cannot run squeue");
    FakeRunner listpidsDown = new FakeRunner().answer("squeue --noheader", 0, SQUEUE, "")
        .answer("scontrol listpids", 1, "", "slurm_load_job error\n");
    assertThatThrownBy(() -> new SlurmEvidence(listpidsDown, BatchSystems.TIMEOUT)
        .collect(null, List.of()))
        .hasMessageContaining("scontrol listpids failed (exit 1)");
  }

  @Test
  void noRunningJobMeansListpidsIsNotAsked() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    FakeRunner runner = new FakeRunner().answer("squeue --noheader", 0, "13|COMPLETED\n", "");
    assertThat(new SlurmEvidence(runner, BatchSystems.TIMEOUT).collect(snapshot(fp), List.of(1)))
        .isEmpty();
    assertThat(runner.asked).containsExactly("squeue --noheader");
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
    FakeRunner runner = new FakeRunner()
        .answer("qconf -sconf", 0, "execd_spool_dir  /var/spool/gridengine/execd\n"
            + "gid_range                    65400-65500\nqlogin_daemon  builtin\n", "");
    Map<Integer, List<JobMark>> marks = new GridEngineEvidence(runner, BatchSystems.TIMEOUT,
        spool).collect(snapshot(fp), List.of(600, 601, 602));
    assertThat(marks.get(600)).containsExactly(
        new JobMark("gridengine", "7.1", JobState.RUNNING, "tracking gid 65400"));
    assertThat(marks.get(601)).containsExactly(
        new JobMark("gridengine", "gid 65401", JobState.ENDED, "tracking gid 65401"));
    assertThat(marks).doesNotContainKey(602);
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
    assertThat(BatchSystems.detect(s, new FakeRunner(), pid -> Optional.empty(), "h")).isEmpty();
    fp.proc(60).uid(0).comm("slurmd").exe("/usr/sbin/slurmd-wlm").write(); // Debian's
    fp.proc(61).uid(0).comm("sge_execd").exe("/usr/lib/gridengine/sge_execd").write();
    Snapshot t = snapshot(fp);
    assertThat(BatchSystems.candidates(t)).containsExactlyInAnyOrder(50, 51, 60, 61);
    assertThat(BatchSystems.detect(t, new FakeRunner(), pid -> Optional.empty(), "h"))
        .extracting(EvidenceProvider::name).containsExactly("slurm", "gridengine");
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
  }
}
