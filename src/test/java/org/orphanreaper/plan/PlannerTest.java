package org.orphanreaper.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.base.TimeFormat;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.rules.Evaluator;
import org.orphanreaper.rules.Facts;
import org.orphanreaper.rules.RulesParser;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.FamilyFinder;
import org.orphanreaper.tree.ProcessTree;

/** The decision procedure over snapshots built in memory. */
class PlannerTest {

  @TempDir Path dir;
  FakeProc fp;

  @BeforeEach
  void init() {
    fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
  }

  static final String KILL_ALL = "rules:\n  - name: all\n    action: kill\n";

  private Plan plan(int minUid, Duration cpu, Duration wall) throws Exception {
    return plan(minUid, cpu, wall, Set.of());
  }

  /** @param vanished pids that exit while the scan reads their details */
  private Plan plan(int minUid, Duration cpu, Duration wall, Set<Integer> vanished)
      throws Exception {
    // The node in memory, as a run would have read it: no /proc is scanned.
    Snapshot s = FakeProc.vanish(fp.snapshot(), vanished);
    ProcessTree tree = new ProcessTree(s);
    List<Family> families = FamilyFinder.initOnly().orphans(tree);
    RulePolicy policy = new RulePolicy(
        new Evaluator(RulesParser.parse("test.yaml", KILL_ALL), Facts.NONE),
        new RulePolicy.Overrides(Optional.empty(), Optional.empty(), cpu, wall, false));
    return new Planner(HardFloor.of(minUid, tree), policy, Grace.none(Instant.EPOCH),
        new CircuitBreaker(100, 1.0, true)).plan(s, families, () -> 0);
  }

  private Plan plan() throws Exception {
    return plan(1000, Duration.ZERO, Duration.ZERO);
  }

  private Verdict verdictOf(Plan p, int rootPid) {
    return p.decisions().stream().filter(d -> d.family().root().pid() == rootPid).findFirst()
        .orElseThrow().verdict();
  }

  /**
   * max_fraction 1.0 is off: a family that forked while it was read can hold one process more
   * than the node's user processes were counted a moment before, and must still be killed.
   */
  @Test
  void circuitBreakerFractionOneNeverTrips() throws Exception {
    fp.proc(200).write();
    fp.proc(201).ppid(200).sid(200).write();
    Plan p = plan();
    assertThat(new CircuitBreaker(100, 1.0, true).trips(p.kills(), 1)).isEmpty();
    assertThat(new CircuitBreaker(100, 0.5, true).trips(p.kills(), 3))
        .hasValueSatisfying(why -> assertThat(why).contains("2 of the node's 3 user processes"));
    assertThat(new CircuitBreaker(100, 0.5, false).trips(p.kills(), 3)).isEmpty();
    assertThat(new CircuitBreaker(0, 1.0, true).trips(p.kills(), 3)).isPresent();
  }

  @Test
  void uidsAroundTheMinimum() throws Exception {
    fp.proc(100).uid(999).write();
    fp.proc(200).uid(1000).write();
    fp.proc(300).uid(0).write();
    Plan p = plan();
    assertThat(verdictOf(p, 100)).isInstanceOf(Verdict.Keep.class);
    assertThat(verdictOf(p, 100).reason()).contains("uid 999, below the minimum uid 1000");
    assertThat(((Verdict.Keep) verdictOf(p, 100)).protectedBy()).isTrue();
    assertThat(verdictOf(p, 200)).isInstanceOf(Verdict.Kill.class);
    assertThat(verdictOf(p, 300)).isInstanceOf(Verdict.Keep.class);
  }

  @Test
  void minUidZeroStillProtectsRoot() throws Exception {
    fp.proc(300).uid(0).write();
    assertThat(verdictOf(plan(0, Duration.ZERO, Duration.ZERO), 300))
        .isInstanceOf(Verdict.Keep.class);
  }

  @Test
  void oneProtectedMemberProtectsTheWholeFamily() throws Exception {
    fp.proc(400).uid(5001).write();
    fp.proc(401).ppid(400).sid(400).uid(5001).euid(0).comm("sudo").write();
    fp.proc(402).ppid(401).sid(400).uid(5001).write();
    Verdict v = verdictOf(plan(), 400);
    assertThat(v).isInstanceOf(Verdict.Keep.class);
    assertThat(v.reason()).contains("pid 401 runs as uid 0");
  }

  @Test
  void unreadableCredentialsProtect() throws Exception {
    fp.proc(500).noStatus().write();
    assertThat(verdictOf(plan(), 500).reason()).contains("credentials of pid 500");
  }

  @Test
  void theReaperAndItsAncestorsAreUntouchable() throws Exception {
    fp.proc(600).write();                          // e.g. a user's nohup'ed shell
    fp.proc(601).ppid(600).sid(600).comm("java").write(); // ... that runs the reaper
    fp.self(601);
    assertThat(verdictOf(plan(), 600).reason()).contains("the reaper or its ancestor");
  }

  @Test
  void zombiesAreMembersButNeverProtectOrCount() throws Exception {
    fp.proc(700).write();
    fp.proc(701).ppid(700).sid(700).state('Z').write();
    Plan p = plan();
    assertThat(verdictOf(p, 700)).isInstanceOf(Verdict.Kill.class);
    assertThat(p.decisions().get(0).family().pids()).contains(701);
  }

  /** A pid hopper looks like a family whose members all exited during the scan: not kept. */
  @Test
  void aFamilyThatAllExitedDuringTheScanIsJudgedLikeAnyOtherAndItsTrailSaysSo()
      throws Exception {
    fp.proc(200).write();
    fp.proc(201).ppid(200).sid(200).write();
    fp.proc(300).write();
    fp.proc(301).ppid(300).sid(300).write();
    Plan p = plan(1000, Duration.ZERO, Duration.ZERO, Set.of(200, 201, 301));
    Decision gone = p.decisions().stream().filter(d -> d.family().root().pid() == 200)
        .findFirst().orElseThrow();
    assertThat(gone.verdict()).isInstanceOf(Verdict.Kill.class);
    assertThat(gone.steps()).extracting(Object::getClass).containsExactly(Step.Floor.class,
        Step.AllVanished.class, Step.Rules.class);
    Decision partly = p.decisions().stream().filter(d -> d.family().root().pid() == 300)
        .findFirst().orElseThrow();
    assertThat(partly.step(Step.AllVanished.class)).isEmpty();
  }

  @Test
  void cputimeAndWalltimeThresholds() throws Exception {
    fp.proc(800).cpuSeconds(30).ageSeconds(600).write();
    fp.proc(801).ppid(800).sid(800).cpuSeconds(40).ageSeconds(60).write();
    fp.proc(900).cpuSeconds(5).ageSeconds(7200).write();
    Plan p = plan(1000, Duration.ofMinutes(1), Duration.ofMinutes(5));
    // family 800: cputime 70 s (sum), walltime 600 s (oldest member)
    assertThat(verdictOf(p, 800)).isInstanceOf(Verdict.Kill.class);
    assertThat(verdictOf(p, 800).reason()).contains("rule 'all'");
    assertThat(verdictOf(p, 900)).isInstanceOf(Verdict.Keep.class);
    assertThat(verdictOf(p, 900).reason()).contains("below --cputime");
    Plan q = plan(1000, Duration.ZERO, Duration.ofMinutes(11));
    assertThat(verdictOf(q, 800).reason()).contains("below --walltime");
    assertThat(verdictOf(q, 900)).isInstanceOf(Verdict.Kill.class);
  }

  @Test
  void systemAccountsAboveUidMinAreProtected() throws Exception {
    fp.proc(100).uid(64030).comm("slurmctld").write(); // Debian's slurm user
    fp.proc(200).uid(65534).comm("nobody-daemon").write();
    fp.proc(300).uid(59999).write();
    fp.proc(400).uid(65536).write();
    Plan p = plan();
    assertThat(verdictOf(p, 100).reason()).contains("uid 64030, reserved for system accounts");
    assertThat(verdictOf(p, 200).reason()).contains("uid 65534, reserved");
    assertThat(verdictOf(p, 300)).isInstanceOf(Verdict.Kill.class);
    assertThat(verdictOf(p, 400)).isInstanceOf(Verdict.Kill.class);
  }

  @Test
  void exactThresholdSelects() throws Exception {
    fp.proc(800).cpuSeconds(60).ageSeconds(300).write();
    assertThat(verdictOf(plan(1000, Duration.ofMinutes(1), Duration.ofMinutes(5)), 800))
        .isInstanceOf(Verdict.Kill.class);
  }

  @Test
  void timeFormatLikePs() {
    assertThat(TimeFormat.clock(Duration.ofSeconds(59))).isEqualTo("00:00:59");
    assertThat(TimeFormat.clock(Duration.ofSeconds(90061))).isEqualTo("1-01:01:01");
  }
}
