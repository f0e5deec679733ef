package org.orphanreaper.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.rules.Evaluator;
import org.orphanreaper.rules.Facts;
import org.orphanreaper.rules.RuleSet;
import org.orphanreaper.rules.RulesParser;
import org.orphanreaper.tree.Scanned;

/** Grace by family identity: elapsed over runs, immediate rules, reused pids start afresh. */
class GraceTest {

  @TempDir Path dir;

  private static final String RULES = "defaults: { grace: 1h }\nrules:\n"
      + "  - name: slow\n    match: { cmdline: slow }\n    action: kill\n"
      + "  - name: now\n    match: { cmdline: now }\n    action: kill\n    immediate: true\n";

  private Plan plan(RuleSet rules, Scanned s, Map<String, Instant> firstSeen, Instant now) {
    return new Planner(new HardFloor(1000, java.util.Set.of()), new RulePolicy(
        new Evaluator(rules, Facts.NONE), RulePolicy.Overrides.NONE),
        new Grace(firstSeen, now, Optional.empty()), new CircuitBreaker(100, 1.0, true))
        .plan(s.snapshot(), s.families(), () -> 0);
  }

  @Test
  void aFamilyWaitsOutItsGraceAndAReusedPidStartsAfresh() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(500).cmdline("slow").startTicks(12345).write();
    fp.proc(600).cmdline("now").write();
    Scanned s = Scanned.of(fp);
    RuleSet rules = RulesParser.parse("r.yaml", RULES);
    Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
    Plan first = plan(rules, s, Map.of(), t0);
    assertThat(verdict(first, 500).reason()).startsWith("grace: selected by rule 'slow'"
        + " for 0s of 3600s");
    assertThat(verdict(first, 600)).isInstanceOf(Verdict.Kill.class);
    assertThat(first.graceState()).containsOnlyKeys("500:12345:slow", "600:" + s.family(600).root()
        .startTicks() + ":now");
    Plan later = plan(rules, s, first.graceState(), t0.plusSeconds(3600));
    assertThat(verdict(later, 500)).isInstanceOf(Verdict.Kill.class);
    // pid 500 reused by another process: its own grace, from now
    Plan reused = plan(rules, s, Map.of("500:999:slow", t0), t0.plusSeconds(7200));
    assertThat(verdict(reused, 500)).isInstanceOf(Verdict.Keep.class);
    // a clock set back never counts time that did not pass
    Plan back = plan(rules, s, Map.of("500:12345:slow", t0.plusSeconds(99999)), t0);
    assertThat(verdict(back, 500)).isInstanceOf(Verdict.Keep.class);
    assertThat(back.graceState().get("500:12345:slow")).isEqualTo(t0);
    assertThat(Grace.used(rules)).isTrue();
    assertThat(Grace.used(RulesParser.parse("r.yaml", "rules:\n  - name: a\n    action: kill\n")))
        .isFalse();
  }

  private static Verdict verdict(Plan p, int root) {
    return p.decisions().stream().filter(d -> d.family().root().pid() == root).findFirst()
        .orElseThrow().verdict();
  }
}
