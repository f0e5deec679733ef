package org.orphanreaper.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture's in-memory snapshot is what scanning and reading its files in full gives. */
class FakeProcTest {

  @TempDir Path dir;

  @Test
  void theSnapshotInMemoryIsTheOneReadFromTheFiles() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(2).ppid(0).uid(0).comm("kthreadd").kernelThread().sid(0).write();
    fp.proc(100).sid(100).cmdline("python3 worker.py --n 3").cpuSeconds(90).ageSeconds(7200)
        .groups("5001 65200").cgroup("0::/slurm/uid_5001/job_7").write();
    fp.proc(101).ppid(100).sid(100).euid(0).comm("sudo").write();
    fp.proc(102).ppid(100).sid(100).state('Z').comm("defunct").write();
    fp.proc(103).ppid(100).sid(100).noExe().noStatus().write();
    ProcFs procfs = new ProcFs(dir);
    Snapshot scanned = procfs.scan();
    Snapshot read = procfs.read(scanned, scanned.processes().keySet(),
        Part.FULL_WITH_CGROUP);
    Snapshot inMemory = fp.snapshot();
    assertThat(inMemory.processes()).isEqualTo(read.processes());
    assertThat(inMemory.bootTime()).isEqualTo(read.bootTime());
    assertThat(inMemory.uptimeTicks()).isEqualTo(read.uptimeTicks());
    assertThat(inMemory.selfPid()).isEqualTo(read.selfPid());
  }
}
