package org.orphanreaper.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.plan.CircuitBreaker;
import org.orphanreaper.plan.Explainer;
import org.orphanreaper.plan.Explanation;
import org.orphanreaper.plan.Grace;
import org.orphanreaper.plan.HardFloor;
import org.orphanreaper.plan.Plan;
import org.orphanreaper.plan.Planner;
import org.orphanreaper.plan.RulePolicy;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.rules.Evaluator;
import org.orphanreaper.rules.Facts;
import org.orphanreaper.rules.RulesParser;
import org.orphanreaper.tree.ProcessTree;
import org.orphanreaper.tree.Scanned;

/** The steps of a trail that only some families take, as --explain prints them. */
class ExplainReportTest {

  @TempDir Path dir;

  @Test
  void aFamilyThatAllExitedDuringTheScanSaysSoAndIsStillJudged() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(200).comm("hopper").write();
    Scanned scanned = Scanned.of(fp);
    Snapshot s = FakeProc.vanish(scanned.snapshot(), Set.of(200));
    Plan plan = new Planner(new HardFloor(1000, Set.of()), new RulePolicy(new Evaluator(
        RulesParser.parse("r.yaml", "rules:\n  - name: all\n    action: kill\n"), Facts.NONE),
        RulePolicy.Overrides.NONE), Grace.none(Instant.EPOCH), new CircuitBreaker(100, 1.0, true))
        .plan(s, scanned.families(), () -> 1);
    Explanation e = Explainer.explain(new ProcessTree(s), plan, 200).orElseThrow();
    assertThat(new ExplainReport(Long::toString).text(s, e, "r.yaml"))
        .contains("\nhard floor: passes\nvanished: every member exited during the scan; judged"
            + " like any other (a pid hopper looks the same): a kill takes what its session holds"
            + " by then, or reports the family vanished\nrules from r.yaml")
        .endsWith("decision: kill with TERM, then KILL after 10s (rule 'all': orphaned, parent of"
            + " root 200 is init)\n");
    assertThat(new ExplainReport(Long::toString).json(s, e, "r.yaml"))
        .contains("\"all_vanished\":true,\"action\":\"kill\"");
  }
}
