package org.orphanreaper.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

  @TempDir Path dir;

  @Test
  void scansEveryNumericDirectoryAndSkipsVanishedOnes() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(2).ppid(0).uid(0).comm("kthreadd").kernelThread().write();
    fp.proc(100).write();
    Files.createDirectories(dir.resolve("101")); // listed, then exited before stat was read
    Files.createDirectories(dir.resolve("sys"));
    Snapshot s = new ProcFs(dir).scan();
    assertThat(s.processes()).containsOnlyKeys(1, 2, 100);
    assertThat(s.processes().get(2).kernelThread()).isTrue();
    assertThat(s.bootTime()).isEqualTo(Instant.ofEpochSecond(FakeProc.BTIME));
    assertThat(s.walltime(s.processes().get(100))).isEqualTo(Duration.ofSeconds(1000));
    assertThat(s.startTime(s.processes().get(100)))
        .isEqualTo(Instant.ofEpochSecond(FakeProc.BTIME + FakeProc.UPTIME_S - 1000));
    assertThat(s.selfPid()).isEqualTo(-1);
    assertThat(s.processes().values()).noneMatch(Proc::described); // the scan reads stat only
  }

  @Test
  void selfPidFromTheSelfLink() throws Exception {
    FakeProc fp = new FakeProc(dir).self(100);
    fp.proc(100).write();
    assertThat(new ProcFs(dir).scan().selfPid()).isEqualTo(100);
  }

  @Test
  void anEmptyOrBrokenProcfsIsAnError() throws Exception {
    new FakeProc(dir);
    assertThatThrownBy(() -> new ProcFs(dir).scan())
        .isInstanceOf(ProcUnreadableException.class).hasMessageContaining("no processes");
    assertThatThrownBy(() -> new ProcFs(dir.resolve("missing")).scan())
        .isInstanceOf(ProcUnreadableException.class);
  }

  @Test
  void describeReadsCredentialsCmdlineAndMarksReusedPidsAsVanished() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(100).uid(5001).cmdline("python worker.py --n 3").write();
    fp.proc(200).uid(6000).noStatus().write();
    fp.proc(300).write();
    fp.proc(400).state('Z').write();
    ProcFs procfs = new ProcFs(dir);
    Snapshot s = procfs.scan();
    fp.proc(300).startTicks(999_999).write(); // pid 300 exited and the pid was reused
    Snapshot d = procfs.read(s, List.of(100, 200, 300, 400), Part.FULL_WITH_CGROUP);
    assertThat(d.described(100).orElseThrow().cmdline()).isEqualTo("python worker.py --n 3");
    assertThat(d.described(100).orElseThrow().credentials().orElseThrow().ruid()).isEqualTo(5001);
    assertThat(d.described(200).orElseThrow().credentials()).isEmpty();
    assertThat(vanished(d)).containsExactly(300);
    assertThat(d.described(300)).isEmpty();
    assertThat(d.described(400).orElseThrow().cmdline()).isEmpty();
  }

  @Test
  void aLongGroupsLineIsReadWholeNotCutIntoAnotherGid() throws Exception {
    // 2,000 groups fill more than the first read's buffer; the line must not end in a cut
    // number (65299 cut to 652 would be another group).
    StringBuilder groups = new StringBuilder();
    for (int g = 100_000; g < 102_000; g++) {
      groups.append(g).append(' ');
    }
    groups.append("65299");
    FakeProc fp = new FakeProc(dir);
    fp.proc(100).uid(5001).groups(groups.toString()).write();
    ProcFs procfs = new ProcFs(dir);
    Snapshot s = procfs.scan();
    for (Snapshot d : List.of(procfs.read(s, List.of(100), Part.FULL_WITH_CGROUP),
        procfs.read(s, List.of(100), Set.of(Part.STATUS)))) {
      assertThat(d.described(100).orElseThrow().credentials().orElseThrow().groups())
          .hasSize(2001).endsWith(65299);
    }
  }

  @Test
  void hugeCmdlineIsTruncated() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(100).cmdline("x".repeat(100_000)).write();
    ProcFs procfs = new ProcFs(dir);
    String cmd = procfs.read(procfs.scan(), List.of(100), Part.FULL_WITH_CGROUP).described(100).orElseThrow()
        .cmdline();
    assertThat(cmd).hasSize(ProcFs.CMDLINE_LIMIT + 3).endsWith("...");
  }

  @Test
  void cmdlineDecodingTurnsNulsAndNewlinesIntoSpaces() {
    byte[] b = "a\0b\nc\0\0".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(CmdlineReader.decode(b, b.length, 100)).isEqualTo("a b c");
  }

  @Test
  void clockTicksFromAuxv() {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(48)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putLong(6).putLong(4096).putLong(17).putLong(250).putLong(0).putLong(0);
    assertThat(KernelUnits.fromAuxv(b.array(), java.nio.ByteOrder.LITTLE_ENDIAN,
        KernelUnits.AT_CLKTCK, 100_000, 100)).isEqualTo(250);
    assertThat(KernelUnits.fromAuxv(new byte[0], java.nio.ByteOrder.LITTLE_ENDIAN,
        KernelUnits.AT_CLKTCK, 100_000, 100)).isEqualTo(100);
    assertThat(KernelUnits.INSTANCE.perSecond()).isEqualTo(100); // x86_64 and arm64 Linux
    assertThat(KernelUnits.INSTANCE.pageSize()).isEqualTo(4096); // x86_64
  }

  @Test
  void readsTheLiveProcOfThisJvm() throws Exception {
    ProcFs live = new ProcFs(Path.of("/proc"));
    Snapshot s = live.scan();
    int me = (int) ProcessHandle.current().pid();
    assertThat(s.selfPid()).isEqualTo(me);
    assertThat(s.processes()).containsKey(me);
    assertThat(live.selfCredentials()).isPresent();
    assertThat(live.hostname()).isNotBlank();
  }

  @Test
  void aLightDescribeIsCompletedByAFullOne() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(10).uid(5001).groups("5001 65400").cmdline("sleep 10").exe("/usr/bin/sleep")
        .cgroup("0::/a").write();
    fp.proc(11).uid(5002).cmdline("sleep 11").write();
    ProcFs procfs = new ProcFs(dir);
    Snapshot s = procfs.read(procfs.scan(), List.of(10, 11), Part.CREDENTIALS);
    Proc light = s.described(10).orElseThrow();
    assertThat(light.read()).isEqualTo(Part.CREDENTIALS);
    assertThat(light.credentials().orElseThrow().groups()).containsExactly(5001, 65400);
    assertThat(light.exe()).contains("/usr/bin/sleep");
    assertThat(light.cmdline()).isEmpty();
    assertThat(light.cgroups()).isEmpty();
    Snapshot full = procfs.read(s, List.of(10), Part.FULL_WITH_CGROUP);
    assertThat(full.described(10).orElseThrow().read()).containsAll(Part.FULL);
    assertThat(full.described(10).orElseThrow().cmdline()).isEqualTo("sleep 10");
    assertThat(full.described(10).orElseThrow().cgroups()).contains(List.of("/a"));
    assertThat(full.described(11).orElseThrow().read().containsAll(Part.FULL)).isFalse(); // not asked for
    // and a light describe never downgrades what a full one read
    assertThat(procfs.read(full, List.of(10), Part.CREDENTIALS).described(10).orElseThrow().cmdline())
        .isEqualTo("sleep 10");
  }

  @Test
  void aCredentialsPassReadsStatusOfEveryProcessAndTheExeOnlyOfThoseAskedFor() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(10).uid(0).comm("condor_starter").exe("/usr/sbin/condor_starter").write();
    fp.proc(11).ppid(10).uid(5001).groups("5001 65200").cmdline("job").write();
    fp.proc(12).uid(6000).noStatus().write();
    fp.proc(2).ppid(0).uid(0).comm("kthreadd").kernelThread().write();
    ProcFs procfs = new ProcFs(dir);
    Snapshot s = procfs.read(procfs.read(procfs.scan(), List.of(10, 11, 12),
        Set.of(Part.STATUS)), List.of(10), Set.of(Part.EXE));
    Proc starter = s.described(10).orElseThrow();
    assertThat(starter.read()).containsOnly(Part.STATUS, Part.EXE);
    assertThat(starter.exe()).contains("/usr/sbin/condor_starter");
    Proc job = s.described(11).orElseThrow();
    assertThat(job.read()).containsOnly(Part.STATUS);
    assertThat(job.credentials().orElseThrow().groups()).containsExactly(5001, 65200);
    assertThat(job.exe()).isEmpty(); // not read: unknown, not unreadable
    assertThat(job.cmdline()).isEmpty();
    assertThat(job.cgroups()).isEmpty();
    // an unreadable status is recorded as such (the floor protects it), not as gone
    assertThat(s.described(12).orElseThrow().credentials()).isEmpty();
    assertThat(vanished(s)).isEmpty();
  }

  /**
   * The pass does not read stat again, so a pid reused since the scan goes unnoticed there; the
   * full describe that every process a decision concerns gets reads stat last and finds it.
   */
  @Test
  void aCredentialsPassLeavesTheIdentityCheckToTheFullDescribe() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(10).uid(5001).write();
    fp.proc(11).uid(5002).write();
    ProcFs procfs = new ProcFs(dir);
    Snapshot scan = procfs.scan();
    fp.proc(10).uid(0).startTicks(999_999).write(); // pid 10 exited and root's process took it
    Snapshot pass = procfs.read(scan, List.of(10, 11), Set.of(Part.STATUS));
    assertThat(vanished(pass)).isEmpty();
    assertThat(pass.described(10).orElseThrow().credentials().orElseThrow().ruid()).isZero();
    Snapshot full = procfs.read(pass, List.of(10, 11), Part.FULL_WITH_CGROUP);
    assertThat(vanished(full)).containsExactly(10);
    assertThat(full.described(11).orElseThrow().read()).containsAll(Part.FULL);
  }

  /** Each file at most once: a full describe takes the pass's credentials and reads the rest. */
  @Test
  void aFullDescribeCompletesACredentialsPassWithoutReadingStatusAgain() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(10).uid(5001).cmdline("sleep 10").exe("/usr/bin/sleep").cgroup("0::/a").write();
    ProcFs procfs = new ProcFs(dir);
    Snapshot pass = procfs.read(procfs.scan(), List.of(10), Set.of(Part.STATUS));
    Files.delete(dir.resolve("10/status")); // a second read would find no credentials
    Proc full = procfs.read(pass, List.of(10), Part.FULL_WITH_CGROUP).described(10).orElseThrow();
    assertThat(full.read()).containsAll(Part.FULL);
    assertThat(full.credentials().orElseThrow().ruid()).isEqualTo(5001);
    assertThat(full.exe()).contains("/usr/bin/sleep");
    assertThat(full.cmdline()).isEqualTo("sleep 10");
    assertThat(full.cgroups()).contains(List.of("/a"));
    // and the pass neither reads nor downgrades what is read already, nor what is gone
    Snapshot again = procfs.read(procfs.read(pass, List.of(10), Part.FULL_WITH_CGROUP),
        List.of(10), Set.of(Part.STATUS, Part.EXE));
    assertThat(again.described(10).orElseThrow().read()).containsAll(Part.FULL);
  }

  @Test
  void aCredentialsPassKeepsTheCgroupsOfACgroupOnlyDescribeAndSkipsVanishedProcesses()
      throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(10).uid(5001).cgroup("4:freezer:/slurm/uid_5001/job_13").write();
    fp.proc(11).uid(5001).write();
    ProcFs procfs = new ProcFs(dir);
    Snapshot scan = procfs.scan();
    fp.proc(11).startTicks(999_999).write();
    Snapshot s = procfs.read(procfs.read(scan, List.of(10), Set.of(Part.CGROUP)),
        List.of(11), Part.FULL_WITH_CGROUP);
    assertThat(vanished(s)).containsExactly(11);
    Snapshot pass = procfs.read(s, List.of(10, 11), Set.of(Part.STATUS));
    Proc d = pass.described(10).orElseThrow();
    assertThat(d.credentials().orElseThrow().ruid()).isEqualTo(5001);
    assertThat(d.cgroups()).contains(List.of("/slurm/uid_5001/job_13"));
    assertThat(pass.described(11)).isEmpty(); // found gone before: not read again
  }

  /** The kill's threads re-check identities at once: every read has a buffer of its own. */
  @Test
  void statOfOnePidIsSafeFromManyThreadsAtOnce() throws Exception {
    FakeProc fp = new FakeProc(dir);
    for (int pid = 10; pid < 30; pid++) {
      fp.proc(pid).comm("p" + pid).startTicks(1000L * pid).write();
    }
    ProcFs procfs = new ProcFs(dir);
    List<Thread> threads = new java.util.ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
    for (int t = 0; t < 4; t++) {
      int first = 10 + t * 5;
      Thread th = new Thread(() -> {
        for (int i = 0; i < 500; i++) {
          int pid = first + i % 5;
          Proc p = procfs.stat(pid).orElse(null);
          if (p == null || p.pid() != pid || p.startTicks() != 1000L * pid
              || !p.comm().equals("p" + pid)) {
            wrong.incrementAndGet();
          }
        }
      });
      th.start();
      threads.add(th);
    }
    for (Thread th : threads) {
      th.join();
    }
    assertThat(wrong.get()).isZero();
  }

  @Test
  void aCgroupOnlyDescribeLeavesTheCredentialsToAFullOne() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(10).uid(5001).cmdline("sleep 10").cgroup("4:freezer:/slurm/uid_5001/job_13").write();
    ProcFs procfs = new ProcFs(dir);
    Snapshot s = procfs.read(procfs.scan(), List.of(10), Set.of(Part.CGROUP));
    Proc marks = s.described(10).orElseThrow();
    assertThat(marks.read()).containsOnly(Part.CGROUP);
    assertThat(marks.cgroups()).contains(List.of("/slurm/uid_5001/job_13"));
    assertThat(marks.credentials()).isEmpty();
    // a later describe reads what the cgroup-only one did not: credentials are never taken
    // over from it as "unreadable"
    for (Snapshot d : List.of(procfs.read(s, List.of(10), Part.CREDENTIALS),
        procfs.read(s, List.of(10), Part.FULL))) {
      assertThat(d.described(10).orElseThrow().credentials().orElseThrow().ruid()).isEqualTo(5001);
      assertThat(d.described(10).orElseThrow().cgroups()).contains(List.of("/slurm/uid_5001/job_13"));
    }
  }

  @Test
  void cgroupsAreReadOnlyWhenAsked() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(10).cgroup("0::/slurm/uid_5001/job_1/step_0").write();
    ProcFs procfs = new ProcFs(dir);
    Snapshot s = procfs.scan();
    assertThat(procfs.read(s, List.of(10), Part.FULL).described(10).orElseThrow().cgroups())
        .isEmpty();
    assertThat(procfs.read(s, List.of(10), Part.FULL_WITH_CGROUP).described(10).orElseThrow().cgroups())
        .contains(List.of("/slurm/uid_5001/job_1/step_0"));
  }

  /**
   * A read of cmdline that blocks (here: a FIFO nobody writes, as /proc/PID/cmdline blocks while
   * its process sits in D state) is given up on after a timeout; the reads after it go on, and
   * after three stuck reads no more are tried. Everything else is still read for every pid.
   */
  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a regression hangs
  void aBlockingCmdlineNeverHangsTheRun() throws Exception {
    FakeProc fp = new FakeProc(dir);
    for (int pid = 10; pid <= 16; pid++) {
      fp.proc(pid).cmdline("argv of " + pid).write();
    }
    List<Path> fifos = List.of(11, 13, 14).stream()
        .map(pid -> dir.resolve(pid + "/cmdline")).toList();
    for (Path f : fifos) {
      Files.delete(f);
      assertThat(new ProcessBuilder("mkfifo", f.toString()).start().waitFor()).isZero();
    }
    try {
      ProcFs procfs = new ProcFs(dir);
      Snapshot s = procfs.scan();
      long t0 = System.nanoTime();
      Snapshot d = procfs.read(s, List.of(10, 11, 12), Part.FULL_WITH_CGROUP);
      assertThat(d.described(10).orElseThrow().cmdline()).isEqualTo("argv of 10");
      assertThat(d.described(11).orElseThrow().cmdline()).isEmpty();
      assertThat(d.described(11).orElseThrow().credentials()).isPresent();
      assertThat(d.described(12).orElseThrow().cmdline()).isEqualTo("argv of 12");
      Snapshot e = procfs.read(d, List.of(13, 14, 15, 16), Part.FULL_WITH_CGROUP);
      // 11, 13 and 14 were stuck: 15 and 16 are not tried, so no fourth thread is parked
      assertThat(e.described(15).orElseThrow().cmdline()).isEmpty();
      assertThat(e.described(16).orElseThrow().cmdline()).isEmpty();
      assertThat(e.described(16).orElseThrow().credentials()).isPresent();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    } finally {
      for (Path f : fifos) { // let the parked readers go
        try (var w = new java.io.FileOutputStream(f.toFile())) {
          w.write(0);
        }
      }
    }
  }

  /**
   * The kill judges a process as it is now: a re-scan's process read once in a pass is read
   * again after it was pinned, and what changed in between (a setuid program it exec'd: same
   * pid, same start time) is seen. A plain read keeps what was read; readNow replaces the parts
   * it reads and leaves the others.
   */
  @Test
  void readNowReadsAgainWhatAnEarlierReadOfTheSameSnapshotSaw() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(10).uid(5001).cmdline("sleep 10").cgroup("0::/a").write();
    ProcFs procfs = new ProcFs(dir);
    Snapshot s = procfs.read(procfs.scan(), List.of(10), Part.FULL_WITH_CGROUP);
    fp.proc(10).uid(5001).euid(0).cmdline("sleep 10").cgroup("0::/a").write();
    assertThat(procfs.read(s, List.of(10), Part.CREDENTIALS).get(10).orElseThrow()
        .credentials().orElseThrow().euid()).isEqualTo(5001);
    Proc now = procfs.readNow(s, List.of(10), Part.CREDENTIALS).get(10).orElseThrow();
    assertThat(now.credentials().orElseThrow().euid()).isZero();
    assertThat(now.cmdline()).isEqualTo("sleep 10");
    assertThat(now.cgroups()).contains(List.of("/a"));
    assertThat(now.read()).containsAll(Part.FULL_WITH_CGROUP);
    // read again without its start time, what was checked is no longer known to be its
    assertThat(procfs.readNow(s, List.of(10), Set.of(Part.STATUS)).get(10).orElseThrow().read())
        .doesNotContain(Part.START_TIME);
    // and a pid reused since the scan is found gone, not read as the process it was
    fp.proc(10).uid(5001).startTicks(999_999).write();
    assertThat(vanished(procfs.readNow(s, List.of(10), Part.CREDENTIALS))).containsExactly(10);
  }

  /** The pids a read found gone. */
  private static Set<Integer> vanished(Snapshot s) {
    Set<Integer> out = new java.util.TreeSet<>();
    s.processes().values().forEach(p -> {
      if (p.vanished()) {
        out.add(p.pid());
      }
    });
    return out;
  }
}
