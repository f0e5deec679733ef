package org.orphanreaper.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;

class FamilyFinderTest {

  @TempDir Path dir;
  FakeProc fp;

  @BeforeEach
  void init() {
    fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(2).ppid(0).uid(0).comm("kthreadd").kernelThread().write();
    fp.proc(3).ppid(2).sid(0).uid(0).comm("kworker/0:0").kernelThread().write();
  }

  private List<Family> orphans() throws Exception {
    return FamilyFinder.initOnly().orphans(new ProcessTree(fp.snapshot()));
  }

  @Test
  void doubleForkedDaemonWithDeadSessionLeader() throws Exception {
    // setsid sh -c 'sleep &' : sh (the leader, pid 500) is gone, sleep has init as parent.
    fp.proc(501).ppid(1).sid(500).pgid(500).write();
    fp.proc(502).ppid(501).sid(500).pgid(500).write();
    List<Family> f = orphans();
    assertThat(f).hasSize(1);
    assertThat(f.get(0).sid()).isEqualTo(500);
    assertThat(f.get(0).rootPids()).containsExactly(501);
    assertThat(f.get(0).pids()).containsExactlyInAnyOrder(501, 502);
    assertThat(f.get(0).members().get(1).depth()).isEqualTo(1);
  }

  @Test
  void familyFollowsDescendantsIntoOtherSessions() throws Exception {
    fp.proc(600).ppid(1).sid(600).write();
    fp.proc(610).ppid(600).sid(610).write(); // called setsid: another session, same family
    fp.proc(611).ppid(610).sid(610).write();
    List<Family> f = orphans();
    assertThat(f).hasSize(1);
    assertThat(f.get(0).pids()).containsExactlyInAnyOrder(600, 610, 611);
  }

  @Test
  void treeWhoseRootHasALiveNonInitParentIsNotOrphaned() throws Exception {
    fp.proc(700).ppid(1).sid(1).uid(0).comm("slurmstepd").write(); // in init's session
    fp.proc(701).ppid(700).sid(701).write();                        // the job's session
    fp.proc(702).ppid(701).sid(701).write();
    assertThat(orphans()).isEmpty();
  }

  @Test
  void severalInitParentedRootsOfOneSessionAreOneFamily() throws Exception {
    fp.proc(801).ppid(1).sid(800).write();
    fp.proc(802).ppid(1).sid(800).write();
    fp.proc(803).ppid(802).sid(800).write();
    List<Family> f = orphans();
    assertThat(f).hasSize(1);
    assertThat(f.get(0).rootPids()).containsExactly(801, 802);
    assertThat(f.get(0).size()).isEqualTo(3);
  }

  @Test
  void rootsOfTheSameSessionUnderALiveParentStayOut() throws Exception {
    fp.proc(900).ppid(1).sid(900).write();
    fp.proc(950).ppid(1).sid(950).write();
    fp.proc(951).ppid(950).sid(950).write();
    fp.proc(952).ppid(951).sid(900).write(); // session 900 member whose parent is elsewhere
    List<Family> f = orphans();
    assertThat(f).extracting(Family::sid).containsExactly(900, 950);
    assertThat(f.get(0).pids()).containsExactly(900);
    assertThat(f.get(1).pids()).containsExactlyInAnyOrder(950, 951, 952);
  }

  @Test
  void kernelThreadsAndInitNeverFormFamilies() throws Exception {
    assertThat(orphans()).isEmpty();
  }

  @Test
  void subreaperCountsAsInitWhenConfigured() throws Exception {
    fp.proc(1000).ppid(1).sid(1000).comm("systemd").write();
    fp.proc(1001).ppid(1000).sid(1001).write();
    List<Family> plain = orphans();
    assertThat(plain).hasSize(1);
    assertThat(plain.get(0).pids()).containsExactlyInAnyOrder(1000, 1001);
    List<Family> reaped = new FamilyFinder(Set.of(1, 1000))
        .orphans(new ProcessTree(fp.snapshot()));
    // the subreaper counts as init: its own session is no family, its orphans are
    assertThat(reaped).extracting(Family::sid).containsExactly(1001);
    assertThat(reaped.get(0).pids()).containsExactly(1001);
  }

  @Test
  void membersComeInTreeOrderWhateverOrderTheScanListsThem() throws Exception {
    // 700 with children 703, 701 (whose child is 702) and 705; in ascending order, as a real
    // procfs lists them, in descending order, and shuffled
    List<Proc> ps = new java.util.ArrayList<>();
    for (int[] pp : new int[][] {{1, 0}, {700, 1}, {701, 700}, {702, 701}, {703, 700}, {705, 700}}) {
      ps.add(Proc.parse(fp.proc(pp[0]).ppid(pp[1]).sid(pp[0] == 1 ? 1 : 700).statLine())
          .orElseThrow());
    }
    List<Proc> descending = new java.util.ArrayList<>(ps);
    java.util.Collections.reverse(descending);
    List<List<Proc>> orders = List.of(ps, descending, List.of(ps.get(3), ps.get(0),
        ps.get(5), ps.get(1), ps.get(4), ps.get(2)));
    for (List<Proc> order : orders) {
      java.util.Map<Integer, Proc> listed = new java.util.LinkedHashMap<>();
      order.forEach(p -> listed.put(p.pid(), p));
      Snapshot s = new Snapshot(dir, 100, 4096, java.time.Instant.EPOCH, 100_000, -1,
          java.util.Collections.unmodifiableMap(listed));
      List<Family> f = FamilyFinder.initOnly().orphans(new ProcessTree(s));
      assertThat(f).hasSize(1);
      assertThat(f.get(0).members()).extracting(m -> m.proc().pid())
          .containsExactly(700, 701, 702, 703, 705);
      assertThat(f.get(0).members()).extracting(Family.Member::depth)
          .containsExactly(0, 1, 2, 1, 1);
    }
  }

  @Test
  void ancestryWalksToTheTop() throws Exception {
    fp.proc(40).ppid(1).sid(1).write();
    fp.proc(41).ppid(40).sid(1).write();
    ProcessTree t = new ProcessTree(fp.snapshot());
    assertThat(t.ancestry(41)).containsExactly(41, 40, 1);
  }
}
