package org.orphanreaper.act;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.act.KillOutcome.Result;
import org.orphanreaper.base.ProcId;
import org.orphanreaper.base.Signal;
import org.orphanreaper.plan.HardFloor;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.proc.Part;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.FamilyFinder;
import org.orphanreaper.tree.ProcessTree;

/** The kill protocol over a fixture procfs, with a signaller that plays the kernel's part. */
class FamilyKillerTest {

  @TempDir Path dir;
  FakeProc fp;
  final List<String> log = new ArrayList<>();
  final Set<Integer> ignoreAll = new HashSet<>();
  final Set<Integer> ignoreTerm = new HashSet<>();
  BiConsumer<Integer, Signal> onSignal = (pid, s) -> {};

  /** Records every signal; TERM and KILL end a process unless it ignores everything. */
  final Signaller kernel = new Signaller() {
    @Override
    public Outcome send(ProcId target, Signal signal) {
      if (!Files.exists(dir.resolve(Integer.toString(target.pid())))) {
        return Outcome.GONE;
      }
      log.add(target.pid() + ":" + signal);
      onSignal.accept(target.pid(), signal);
      if ((signal == Signal.TERM && !ignoreTerm.contains(target.pid()) || signal == Signal.KILL)
          && !ignoreAll.contains(target.pid())) {
        delete(dir.resolve(Integer.toString(target.pid())));
      }
      return Outcome.SENT;
    }

    @Override
    public String mechanism() {
      return "fake";
    }
  };

  @BeforeEach
  void init() {
    fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(100).sid(100).write();
    fp.proc(101).ppid(100).sid(100).write();
  }

  final KillsInProgress inProgress = new KillsInProgress();

  /** The fixture's one family, read as a run reads it, and a killer for it. */
  private record Scene(ProcFs procfs, Snapshot snapshot, Family family, FamilyKiller killer) {}

  private Scene scene() throws Exception {
    ProcFs procfs = new ProcFs(dir);
    Snapshot s = procfs.scan();
    Family f = FamilyFinder.initOnly().orphans(new ProcessTree(s)).get(0);
    s = procfs.read(s, f.pids(), Part.FULL_WITH_CGROUP);
    FamilyKiller killer = new FamilyKiller(procfs, kernel, new HardFloor(1000, Set.of()),
        Set.of(1), new FamilyKiller.Limits(4, Duration.ofMillis(10), Duration.ofMillis(200)),
        inProgress, Containment.signalsOnly(), StopJournal.none());
    return new Scene(procfs, s, f, killer);
  }

  private static Verdict.Kill verdict(Signal first) {
    return new Verdict.Kill("test", first, Duration.ofMillis(200), "test-rule");
  }

  private KillOutcome kill(Signal first) throws Exception {
    Scene scene = scene();
    return scene.killer().kill(scene.snapshot(), scene.family(), verdict(first));
  }

  @Test
  void stopsEverythingBeforeTheFirstSignalThenResumesIt() throws Exception {
    KillOutcome o = kill(Signal.TERM);
    assertThat(log).containsExactly("100:STOP", "101:STOP", "100:TERM", "101:TERM");
    assertThat(o.status()).isEqualTo(KillOutcome.Status.KILLED);
    assertThat(o.members()).extracting(KillOutcome.MemberOutcome::result)
        .containsOnly(Result.EXITED);
  }

  /**
   * The run is stopped (its shutdown hook calls the kills off) while the family is frozen:
   * every stopped member is resumed, and no signal but SIGCONT goes out afterwards.
   */
  @Test
  void aRunStoppedMidKillResumesWhatItStoppedAndSignalsNoMore() throws Exception {
    ignoreAll.add(100);
    ignoreAll.add(101);
    int[] resumed = {-1};
    onSignal = (pid, s) -> {
      if (pid == 100 && s == Signal.TERM && resumed[0] < 0) {
        resumed[0] = inProgress.stopAndResume(); // as the hook does
      }
    };
    kill(Signal.TERM);
    assertThat(resumed[0]).isEqualTo(2);
    assertThat(log).containsExactly("100:STOP", "101:STOP", "100:TERM", "100:CONT", "101:CONT");
  }

  @Test
  void aMemberThatForkedBeforeItWasStoppedJoinsAndIsKilledToo() throws Exception {
    onSignal = (pid, s) -> {
      if (pid == 101 && s == Signal.STOP && !Files.exists(dir.resolve("102"))) {
        fp.proc(102).ppid(101).sid(100).write();
      }
    };
    KillOutcome o = kill(Signal.TERM);
    assertThat(log).containsSubsequence("101:STOP", "102:STOP", "102:TERM");
    assertThat(o.members()).extracting(m -> m.proc().pid()).containsExactly(100, 101, 102);
    assertThat(o.note()).contains("1 process(es) joined during the kill");
    assertThat(o.status()).isEqualTo(KillOutcome.Status.KILLED);
  }

  /**
   * A family that makes a new member every time one is stopped is never pinned down in the
   * passes the kill allows: it is reported not killed, with the pids seen last (before, the
   * freeze gave up, went on, and called the family killed).
   */
  @Test
  void aFamilyThatOutgrowsEveryStopPassIsNotCalledKilled() throws Exception {
    onSignal = (pid, s) -> {
      if (s == Signal.STOP && pid >= 101 && pid < 130) {
        fp.proc(pid + 1).ppid(pid).sid(100).write();
      }
    };
    KillOutcome o = kill(Signal.TERM);
    assertThat(o.status()).isEqualTo(KillOutcome.Status.SURVIVED);
    assertThat(o.note()).contains("not killed: the family made processes faster than they could"
        + " be stopped; pids seen last: ");
  }

  @Test
  void aProtectedNewcomerCallsTheKillOffAndResumesTheFamily() throws Exception {
    onSignal = (pid, s) -> {
      if (pid == 101 && s == Signal.STOP) {
        fp.proc(103).ppid(101).sid(100).uid(5001).euid(0).comm("sudo").write();
      }
    };
    KillOutcome o = kill(Signal.TERM);
    assertThat(o.status()).isEqualTo(KillOutcome.Status.ABORTED);
    assertThat(o.note()).contains("pid 103 runs as uid 0");
    assertThat(log).containsExactly("100:STOP", "101:STOP", "100:CONT", "101:CONT");
    assertThat(o.members()).extracting(KillOutcome.MemberOutcome::result)
        .containsOnly(Result.SPARED);
  }

  @Test
  void whatIgnoresTermGetsKillAndWhatSurvivesKillIsASurvivor() throws Exception {
    ignoreAll.add(101);
    KillOutcome o = kill(Signal.TERM);
    assertThat(log).containsSubsequence("101:TERM", "101:CONT", "101:STOP", "101:KILL");
    assertThat(o.status()).isEqualTo(KillOutcome.Status.SURVIVED);
    assertThat(o.survivors()).extracting(m -> m.proc().pid()).containsExactly(101);
    assertThat(o.members().get(0).result()).isEqualTo(Result.EXITED);
  }

  @Test
  void withKillFirstThereIsNoTermAndNoCont() throws Exception {
    KillOutcome o = kill(Signal.KILL);
    assertThat(log).containsExactly("100:STOP", "101:STOP", "100:KILL", "101:KILL");
    assertThat(o.members()).extracting(KillOutcome.MemberOutcome::result)
        .containsOnly(Result.KILLED);
  }

  @Test
  void aFamilyGoneBeforeTheFirstSignalVanished() throws Exception {
    ProcFs procfs = new ProcFs(dir);
    Snapshot s = procfs.scan();
    Family f = FamilyFinder.initOnly().orphans(new ProcessTree(s)).get(0);
    s = procfs.read(s, f.pids(), Part.FULL_WITH_CGROUP);
    delete(dir.resolve("100"));
    delete(dir.resolve("101"));
    KillOutcome o = new FamilyKiller(procfs, kernel, new HardFloor(1000, Set.of()), Set.of(1),
        FamilyKiller.Limits.DEFAULT).kill(s, f, new Verdict.Kill("t", Signal.TERM,
            Duration.ofSeconds(1), "test-rule"));
    assertThat(o.status()).isEqualTo(KillOutcome.Status.VANISHED);
    assertThat(log).isEmpty();
  }

  /**
   * A member that double-forks away (a session of its own, re-parented to init) within the clock
   * tick of a process the scan saw: start times count 10 ms ticks, so a process born since the
   * scan is one the scan did not see, not one that started later than its latest. Before, such a
   * fork, running the member's very program, was taken for a process the scan had seen, and
   * escaped (PenInNamespaceTest's double-forkers left one running now and then).
   */
  @Test
  void aDoubleForkInTheTickOfTheScanIsTakenAsTheFamilys() throws Exception {
    fp.proc(101).ppid(100).sid(100).cmdline("worker --x").exe("/usr/bin/worker").write();
    onSignal = (pid, s) -> {
      if (pid == 101 && s == Signal.STOP && !Files.exists(dir.resolve("102"))) {
        fp.proc(102).ppid(1).sid(102).cmdline("worker --x").exe("/usr/bin/worker").write();
      }
    };
    KillOutcome o = kill(Signal.TERM);
    assertThat(log).contains("102:STOP", "102:TERM");
    assertThat(o.members()).extracting(m -> m.proc().pid()).contains(102);
  }

  /**
   * A process born into the family's session after its last member exited (a pid hopper) is
   * read and pinned on sight, then read again now that it is pinned, before any signal: one
   * that became root between the two (a setuid program it exec'd as it was being stopped) calls
   * the kill off, and it gets no signal after its STOP but the CONT that resumes it.
   */
  @Test
  void aNewcomerThatBecomesRootAsItIsPinnedOnSightIsNeverSignalledAfterTheStop()
      throws Exception {
    onSignal = (pid, s) -> {
      if (pid == 100 && s == Signal.STOP && !Files.exists(dir.resolve("102"))) {
        // the leader forks a successor into its session and exits
        fp.proc(102).ppid(1).sid(100).write();
        delete(dir.resolve("100"));
        delete(dir.resolve("101"));
      }
      if (pid == 102 && s == Signal.STOP) {
        fp.proc(102).ppid(1).sid(100).euid(0).comm("passwd").write(); // setuid exec
      }
    };
    KillOutcome o = kill(Signal.TERM);
    assertThat(log).contains("102:STOP").doesNotContain("102:TERM", "102:KILL");
    assertThat(o.status()).isEqualTo(KillOutcome.Status.ABORTED);
    assertThat(o.note()).contains("pid 102 runs as uid 0");
  }

  /**
   * A re-check reads the members as they are now, also where its re-scan was read before in the
   * same pass (a process pinned on sight is read, moved into the frozen pen, then re-checked,
   * and from then on trusted as "read while pinned"): a setuid program exec'd in between is
   * seen, and the kill called off.
   */
  @Test
  void aRecheckReadsTheMembersAsTheyAreNowEvenWhereItsReScanWasReadBefore() throws Exception {
    Scene scene = scene();
    FamilyKill k = new FamilyKill(scene.killer(), 0, scene.snapshot(), scene.family(),
        verdict(Signal.TERM));
    ProcFs procfs = scene.procfs();
    Snapshot pass = procfs.read(procfs.scan(), List.of(100, 101), Part.CREDENTIALS);
    fp.proc(101).ppid(100).sid(100).euid(0).comm("passwd").write(); // same pid, same start
    assertThat(k.recheck(pass)).hasValueSatisfying(
        why -> assertThat(why).contains("pid 101 runs as uid 0"));
  }

  /**
   * The families of a run are killed in step: every one is stopped before any gets its first
   * signal, all wait their grace together, and each is handed over (to be recorded) as soon as
   * it is done: one that died of TERM before another that ignores TERM has its SIGKILL.
   */
  @Test
  void familiesAreKilledInStepAndEachIsHandedOverWhenItIsDone() throws Exception {
    fp.proc(200).sid(200).write();
    ignoreTerm.add(200);
    ProcFs procfs = new ProcFs(dir);
    Snapshot s = procfs.scan();
    List<Family> families = FamilyFinder.initOnly().orphans(new ProcessTree(s));
    Set<Integer> pids = new HashSet<>();
    families.forEach(f -> pids.addAll(f.pids()));
    Snapshot described = procfs.read(s, pids, Part.FULL_WITH_CGROUP);
    Verdict.Kill verdict = new Verdict.Kill("test", Signal.TERM, Duration.ofMillis(200), "r");
    List<String> handedOver = new ArrayList<>();
    List<KillOutcome> outcomes = new FamilyKiller(procfs, kernel, new HardFloor(1000, Set.of()),
        Set.of(1), new FamilyKiller.Limits(4, Duration.ofMillis(10), Duration.ofMillis(200)))
        .killAll(described, families.stream().map(f -> new FamilyKiller.Order(f, verdict))
            .toList(), (i, o) -> handedOver.add(o.family().root().pid() + " after "
                + List.copyOf(log)));
    assertThat(log).startsWith("100:STOP", "101:STOP", "200:STOP", "100:TERM", "101:TERM",
        "200:TERM", "200:CONT");
    assertThat(handedOver).containsExactly(
        "100 after [100:STOP, 101:STOP, 200:STOP, 100:TERM, 101:TERM, 200:TERM, 200:CONT]",
        "200 after " + log);
    assertThat(log).endsWith("200:STOP", "200:KILL");
    assertThat(outcomes).extracting(KillOutcome::status)
        .containsExactly(KillOutcome.Status.KILLED, KillOutcome.Status.KILLED);
  }

  private static void delete(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
