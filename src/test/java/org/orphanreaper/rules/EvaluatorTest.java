package org.orphanreaper.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.tree.Scanned;

/** First match wins, protect comes first, and unreadable facts never make a kill easier. */
class EvaluatorTest {

  @TempDir Path dir;
  Scanned scanned;

  @BeforeEach
  void fixture() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(500).comm("xrootd").cmdline("/usr/bin/xrootd -c x").ageSeconds(7200).write();
    fp.proc(600).comm("sleep").cmdline("sleep 600").ageSeconds(60).write();
    fp.proc(700).comm("worker").cmdline("").ageSeconds(7200).write(); // argv unreadable
    scanned = Scanned.of(fp);
  }

  private Trail trail(String yaml, int root) throws Exception {
    RuleSet r = RulesParser.parse("t.yaml", yaml);
    return new Evaluator(r, new Facts(u -> Optional.of("alice"), g -> Optional.empty()))
        .evaluate(scanned.snapshot(), scanned.family(root));
  }

  private static final String RULES = String.join("\n",
      "protect:",
      "  - name: xrootd",
      "    command: '^xrootd$'",
      "rules:",
      "  - name: old",
      "    match: { walltime: '>= 1h' }",
      "    action: kill",
      "  - name: sleepers",
      "    match: { command: '^sleep$' }",
      "    action: report",
      "  - name: everything",
      "    action: kill",
      "");

  @Test
  void firstMatchWinsInFileOrder() throws Exception {
    Trail t = trail(RULES, 600);
    assertThat(t.finding()).isEqualTo(new Trail.Matched(t.rule().orElseThrow()));
    assertThat(t.rule().orElseThrow().name()).isEqualTo("sleepers");
    assertThat(t.steps()).extracting(Trail.Step::name)
        .containsExactly("xrootd", "old", "sleepers");
  }

  @Test
  void protectComesBeforeEveryRule() throws Exception {
    Trail t = trail(RULES, 500);
    assertThat(t.finding()).isInstanceOf(Trail.Protected.class);
    assertThat(((Trail.Protected) t.finding()).entry().name()).isEqualTo("xrootd");
    assertThat(t.steps()).hasSize(1);
  }

  @Test
  void noMatchingRuleKeeps() throws Exception {
    Trail t = trail("rules:\n  - name: old\n    match: { walltime: '> 1d' }\n    action: kill\n",
        600);
    assertThat(t.finding()).isInstanceOf(Trail.NoMatch.class);
  }

  @Test
  void anUnreadableValueStopsTheRulesInsteadOfFallingThrough() throws Exception {
    String yaml = "rules:\n  - name: keep-workers\n    match: { cmdline: 'worker' }\n"
        + "    action: keep\n  - name: everything\n    action: kill\n";
    Trail t = trail(yaml, 700);
    assertThat(t.finding()).isInstanceOf(Trail.Undecided.class);
    assertThat(((Trail.Undecided) t.finding()).why()).contains("could not be read");
  }

  @Test
  void anUnreadableValueMakesAProtectEntryHold() throws Exception {
    String yaml = "protect:\n  - cmdline: 'worker'\nrules:\n  - name: all\n    action: kill\n";
    Trail t = trail(yaml, 700);
    assertThat(t.finding()).isInstanceOf(Trail.Protected.class);
    assertThat(((Trail.Protected) t.finding()).truth()).isEqualTo(Truth.UNKNOWN);
  }
}
