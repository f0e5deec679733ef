package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orphanreaper.proc.FakeProc;

/** --explain reaches the run's verdict: grace and the circuit breaker included. */
class ExplainCliTest {

  @TempDir Path dir;
  Path proc;
  Path state;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /** The start time FakeProc gives a process by default: the grace state's key holds it. */
  private static final long START_TICKS = (FakeProc.UPTIME_S - 1000) * 100;

  @BeforeEach
  void fixture() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    proc = dir.resolve("proc");
    state = dir.resolve("grace.state");
    FakeProc fp = new FakeProc(proc);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(500).comm("solver").cmdline("stray solver").write();
    fp.proc(501).ppid(500).sid(500).comm("sleep").cmdline("sleep 99").write();
    fp.proc(600).comm("render").cmdline("stray render").write();
    fp.proc(700).comm("sleep").cmdline("sleep 700").write();
  }

  private Path rules(String yaml) throws Exception {
    return CliRun.rulesFile(dir, yaml);
  }

  private static final String GRACE = String.join("\n",
      "defaults: { grace: 1h }",
      "rules:",
      "  - name: strays",
      "    match: { cmdline: stray }",
      "    action: kill",
      "");

  /** The grace state as a kill run leaves it: family 500 first selected by 'strays' then. */
  private void firstSeen(Instant when) throws Exception {
    Files.writeString(state, "# orphan-reaper grace state 1\n500:" + START_TICKS + ":strays "
        + when.getEpochSecond() + "\n");
  }

  private CliRun explain(int pid, Path rules, String... more) {
    String[] args = {"--explain", Integer.toString(pid), "--proc", proc.toString(), "--rules",
        rules.toString(), "--state", state.toString()};
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return run(all);
  }

  @Test
  void aFamilyInsideItsGraceIsExplainedAsKeptByGrace() throws Exception {
    firstSeen(Instant.now().minusSeconds(600));
    String before = Files.readString(state);
    CliRun r = explain(501, rules(GRACE));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("\ngrace: keeps it: rule 'strays' has selected it for 60\\ds of its"
            + " 3600s \\(first seen [-0-9T:]+Z\\); (3000|299\\d)s left, acted on from [-0-9T:]+Z\n")
        .containsPattern("\ndecision: keep \\(grace: selected by rule 'strays' for 60\\ds of"
            + " 3600s; acted on from [-0-9T:]+Z\\)\n")
        .doesNotContain("decision: kill");
    // --explain only reads the state: the run that acts is the one that remembers
    assertThat(Files.readString(state)).isEqualTo(before);
  }

  @Test
  void aFamilyPastItsGraceIsExplainedAsAKill() throws Exception {
    firstSeen(Instant.now().minusSeconds(7200));
    CliRun r = explain(500, rules(GRACE));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("\ngrace: over: rule 'strays' has selected it for 720\\ds of its 3600s"
            + " \\(first seen [-0-9T:]+Z\\)\n")
        .contains("\ndecision: kill with TERM, then KILL after 10s (rule 'strays': orphaned,"
            + " parent of root 500 is init; cmdline: held by pid 500)\n");
    // 600 was never seen: its grace starts with this sighting
    assertThat(explain(600, rules(GRACE)).out())
        .contains("grace: keeps it: rule 'strays' has selected it for 0s of its 3600s (first"
            + " seen now: the grace state does not hold it); 3600s left, acted on from ")
        .contains("decision: keep (grace: selected by rule 'strays' for 0s of 3600s;");
    // no grace for 700: no rule selects it
    assertThat(explain(700, rules(GRACE)).out()).doesNotContain("grace:")
        .contains("decision: keep (no rule matched)");
  }

  @Test
  void aGraceStateThatCannotBeReadIsSaidAndStartsTheGraceNow() throws Exception {
    Files.writeString(state, "garbage\n");
    CliRun r = explain(500, rules(GRACE));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("grace: keeps it: the grace state could not be used (grace"
        + " cannot be counted: grace state " + state + " is corrupt at line 1; every family starts its grace now): rule 'strays' has"
        + " selected it for 0s of its 3600s (first seen now: the grace state does not hold it);"
        + " 3600s left")
        .contains("decision: keep (grace: selected by rule 'strays'");
    assertThat(Files.readString(state)).isEqualTo("garbage\n");
    CliRun json = explain(500, rules(GRACE), "--json");
    assertThat(json.out()).contains("\"grace_rule\":\"strays\",\"grace_s\":3600,"
        + "\"grace_waited_s\":0,\"grace_left_s\":3600,\"grace_first_seen\":null,"
        + "\"grace_state_problem\":\"grace cannot be counted: grace state " + state + " is corrupt at line 1; every"
        + " family starts its grace now\",\"action\":\"keep\",\"rule\":\"strays\"");
  }

  @Test
  void theCircuitBreakerHoldingAFamilyBackShowsInExplain() throws Exception {
    // 500, 600 and 700 would be killed: 3 families, over the limit of 2
    Path all = rules("defaults: { max_kills_per_run: 2 }\nrules:\n  - name: all\n"
        + "    action: kill\n");
    CliRun r = explain(501, all);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("\ncircuit breaker: holds it back: the plan would kill 3"
            + " families, more than max_kills_per_run 2\n")
        .contains("\ndecision: held back by the circuit breaker: kill mode kills nothing; the"
            + " plan would kill with TERM, then KILL after 10s (rule 'all': orphaned, parent of"
            + " root 500 is init)\n");
    assertThat(explain(501, all, "--json").out()).contains("\"held_back\":\"the plan would"
        + " kill 3 families, more than max_kills_per_run 2\",\"action\":\"kill\"");
    // within the limit, nothing is held back
    Path three = rules("defaults: { max_kills_per_run: 3 }\nrules:\n  - name: all\n"
        + "    action: kill\n");
    assertThat(explain(501, three).out()).doesNotContain("circuit breaker")
        .contains("decision: kill with TERM");
  }

  private static final String STRING = "(null|\"(?:[^\"\\\\]|\\\\.)*\")";
  private static final Pattern RUN_FAMILY = Pattern.compile("\\{\"root_pid\":(\\d+),[^{]*?"
      + "\"action\":\"(\\w+)\",\"rule\":" + STRING + ",\"reason\":" + STRING);
  private static final Pattern EXPLAINED = Pattern.compile("\"action\":\"(\\w+)\",\"rule\":"
      + STRING + ",\"reason\":" + STRING);

  /** A run's verdicts, root pid to "action rule reason", a grace's seconds so far masked. */
  private static Map<Integer, String> runVerdicts(String json) {
    Map<Integer, String> out = new TreeMap<>();
    Matcher m = RUN_FAMILY.matcher(json);
    while (m.find()) {
      out.put(Integer.parseInt(m.group(1)), verdict(m.group(2), m.group(3), m.group(4)));
    }
    return out;
  }

  private static String verdict(String action, String rule, String reason) {
    // the run and --explain look at the clock a moment apart
    return action + " " + rule + " " + reason.replaceAll("for \\d+s of", "for Ns of")
        .replaceAll("acted on from [-0-9T:]+Z", "acted on from T");
  }

  @ParameterizedTest
  @ValueSource(strings = {"protect and report", "grace", "circuit breaker", "walltime",
      "epilogue"})
  void theRunAndExplainReachTheSameVerdicts(String fixture) throws Exception {
    FakeProc fp = new FakeProc(proc);
    fp.proc(100).uid(0).comm("sshd").cmdline("/usr/sbin/sshd -D").write();
    fp.proc(101).ppid(100).sid(101).comm("bash").cmdline("-bash").write();
    fp.proc(800).comm("xrootd").cmdline("/usr/bin/xrootd -c /etc/x.cfg").uid(5002).write();
    fp.proc(900).comm("daemon").uid(64030).write();
    fp.proc(950).comm("old").cmdline("stray old").ageSeconds(9000).write();
    firstSeen(Instant.now().minusSeconds(600));
    String protect = "protect:\n  - name: data-servers\n    command: '^xrootd$'\n";
    String[] args = switch (fixture) {
      case "protect and report" -> new String[] {"--rules", rules("defaults: { signal: INT }\n"
          + protect + "rules:\n  - name: strays\n    match: { cmdline: stray }\n"
          + "    action: kill\n  - name: audit\n    action: report\n").toString()};
      case "grace" -> new String[] {"--rules", rules(protect + GRACE).toString()};
      case "circuit breaker" -> new String[] {"--rules", rules("defaults: { max_kills_per_run:"
          + " 2 }\nrules:\n  - name: all\n    action: kill\n").toString()};
      case "walltime" -> new String[] {"--rules", rules(GRACE).toString(), "-w", "1h"};
      default -> new String[] {"--rules", rules(protect + GRACE).toString(), "--epilogue"};
    };
    List<String> common = new ArrayList<>(List.of("--proc", proc.toString(), "--state",
        state.toString(), "--json"));
    common.addAll(List.of(args));
    List<String> debug = new ArrayList<>(common);
    debug.add("--debug");
    CliRun run = run(debug.toArray(String[]::new));
    Map<Integer, String> byRun = runVerdicts(run.out());
    assertThat(byRun).as(run.out()).hasSizeGreaterThanOrEqualTo(5);
    Map<Integer, String> byExplain = new TreeMap<>();
    boolean heldBack = false;
    for (int root : byRun.keySet()) {
      List<String> explain = new ArrayList<>(common);
      explain.addAll(List.of("--explain", Integer.toString(root)));
      CliRun x = run(explain.toArray(String[]::new));
      Matcher m = EXPLAINED.matcher(x.out());
      assertThat(m.find()).as(x.out()).isTrue();
      byExplain.put(root, verdict(m.group(1), m.group(2), m.group(3)));
      heldBack |= x.out().contains("\"held_back\":");
    }
    assertThat(byExplain).isEqualTo(byRun);
    // the breaker too: the run refuses to act exactly when --explain says it would hold back
    assertThat(heldBack).isEqualTo(run.err().contains("circuit breaker"))
        .isEqualTo(fixture.equals("circuit breaker"));
  }
}
