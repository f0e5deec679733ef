package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.orphanreaper.proc.FakeProc;

/** --rules, --check and --explain through the whole CLI, on fixture trees. */
class RulesCliTest {

  @TempDir Path dir;
  Path proc;

  private static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @BeforeEach
  void fixture() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    proc = dir.resolve("proc");
    FakeProc fp = new FakeProc(proc);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    fp.proc(100).uid(0).comm("sshd").cmdline("/usr/sbin/sshd -D").write();
    fp.proc(101).ppid(100).sid(101).comm("bash").cmdline("-bash").write();
    fp.proc(500).comm("globus-job-mana").cmdline("perl globus-job-manager -conf x")
        .ageSeconds(3 * 86400).write();
    fp.proc(501).ppid(500).sid(500).comm("sleep").cmdline("sleep 99").write();
    fp.proc(600).comm("xrootd").cmdline("/usr/bin/xrootd -c /etc/x.cfg").uid(5002)
        .ageSeconds(9000).write();
    fp.proc(700).comm("sleep").cmdline("sleep 700").ageSeconds(100).write();
  }

  private Path rules(String yaml) throws Exception {
    return CliRun.rulesFile(dir, yaml);
  }

  private static final String CE = String.join("\n",
      "defaults: { signal: INT, kill_after: 20s }",
      "protect:",
      "  - name: data-servers",
      "    command: '^xrootd$'",
      "rules:",
      "  - name: stray-jobmanager",
      "    match: { cmdline: 'globus-job-manager', walltime: '> 2d' }",
      "    action: kill",
      "  - name: audit",
      "    action: report",
      "");

  /** Cgroups are read only for runs that look at them: a rule that does gets them. */
  @Test
  void aCgroupRuleSeesTheCgroups() throws Exception {
    new FakeProc(proc).proc(800).comm("sleep").cmdline("sleep 800")
        .cgroup("0::/user.slice/user-5001.slice/app.slice/tmux-spawn-1.scope").write();
    Path p = rules("rules:\n  - name: tmux-scopes\n    match: { cgroup: '/user.slice/**/tmux-*' }"
        + "\n    action: report\n  - name: rest\n    action: keep\n");
    CliRun r = run("--debug", "--json", "--proc", proc.toString(), "--rules", p.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern(
        "\"root_pid\":800,[^{]*\"action\":\"report\",\"rule\":\"tmux-scopes\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rules/default.yaml", "rules/worker-node.yaml", "rules/ce.yaml"})
  void everyShippedFilePassesCheck(String file) throws Exception {
    // checked where it would be installed from: a checkout below /tmp is no place root obeys
    Path copy = rules(Files.readString(Path.of(file)));
    CliRun r = run("--check", copy.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("# " + copy + ": valid").contains("rules:");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void checkListsEveryErrorAndExits2WithoutATrace() throws Exception {
    Path p = rules("defaults:\n  kill_afer: 1m\nrules:\n  - name: r\n    action: nuke\n");
    CliRun r = run("--check", p.toString());
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err().lines()).containsExactly(
        p + ":2:3: unknown key 'kill_afer' in defaults; did you mean 'kill_after'?",
        p + ":5:13: action: unknown action 'nuke'; use kill, report or keep"
            + " (expected one of: kill, report, keep)");
    assertThat(r.out()).isEmpty();
  }

  /** The fuzzer's durations (once -16s and 17h) stop the run: exit 2, each with its place. */
  @Test
  void durationsOutOfRangeAreRulesErrors() throws Exception {
    Path p = rules(Files.readString(
        Path.of("src/test/resources/rules-rejected/overflowing-durations.yaml")));
    CliRun r = run("--check", p.toString());
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err().lines()).hasSize(5).allMatch(l -> l.startsWith(p + ":"))
        .first().isEqualTo(p + ":4:15: kill_after: duration '5124095576030431:00:00' is out of"
            + " range: at most 36500d (100 years)");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void checkPrintsTheNormalisedPolicy() throws Exception {
    CliRun r = run("--rules", rules(CE).toString(), "--check");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("kill_after: 20").contains("walltime: '> 172800'")
        .contains("signal: INT").contains("action: report");
  }

  @Test
  void aBadRulesFileStopsADebugRunBeforeTheScan() throws Exception {
    CliRun r = run("--debug", "--proc", proc.toString(), "--rules", rules("rules: []\n").toString());
    assertThat(r.code()).isEqualTo(ExitCode.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains(":1:8: no rules").contains("nothing was killed");
  }

  @Test
  void rulesDecideWhatADebugRunWouldDo() throws Exception {
    CliRun r = run("--debug", "--json", "--proc", proc.toString(), "--rules", rules(CE).toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(KillInNamespaceTest.selectedRoots(r.out())).containsExactly(500);
    assertThat(r.out())
        .contains("\"root_pid\":500,\"sid\":500,\"uid\":5001")
        .contains("\"action\":\"kill\",\"rule\":\"stray-jobmanager\"")
        .contains("\"signal\":\"INT\",\"kill_after_s\":20")
        .contains("\"action\":\"keep\",\"rule\":\"data-servers\",\"reason\":\"protected by"
            + " 'data-servers'\"")
        .contains("\"action\":\"report\",\"rule\":\"audit\"");
  }

  @Test
  void theCommandLineOverridesTheFilesDefaultsButNotARulesOwnSignal() throws Exception {
    String yaml = CE.replace("    action: kill\n", "    action: kill\n    kill_after: 5s\n");
    CliRun r = run("--debug", "--json", "--proc", proc.toString(), "--rules", rules(yaml).toString(),
        "-k", "HUP", "--kill-after", "1m");
    // the rule's kill_after (5s) wins over the command line, which wins over defaults (INT)
    assertThat(r.out()).contains("\"signal\":\"HUP\",\"kill_after_s\":5");
    CliRun floor = run("--debug", "--json", "--proc", proc.toString(), "--rules",
        rules("defaults: { min_uid: 6000 }\n" + CE.substring(CE.indexOf("protect:")))
            .toString());
    assertThat(KillInNamespaceTest.selectedRoots(floor.out())).isEmpty();
    CliRun cli = run("--debug", "--json", "--proc", proc.toString(), "--rules",
        rules("defaults: { min_uid: 6000 }\n" + CE.substring(CE.indexOf("protect:")))
            .toString(), "-u", "5000");
    assertThat(KillInNamespaceTest.selectedRoots(cli.out())).containsExactly(500);
    CliRun narrowed = run("--debug", "--json", "--proc", proc.toString(), "--rules",
        rules(CE).toString(), "-w", "4d");
    assertThat(KillInNamespaceTest.selectedRoots(narrowed.out())).isEmpty();
    assertThat(narrowed.out()).contains("below --walltime 4-00:00:00");
  }

  @Test
  void explainShowsTheTrailOfAKilledFamily() throws Exception {
    CliRun r = run("--explain", "501", "--proc", proc.toString(), "--rules", rules(CE).toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("pid 501 (sleep)")
        .contains("ancestry: 501 sleep <- 500 globus-job-mana <- 1 init")
        .contains("family: sid 500, root [500], 2 processes")
        .contains("orphaned: it descends from orphaned root 500 (globus-job-mana): the root's"
            + " parent is init (pid 1)")
        .contains("hard floor: passes")
        .contains("  protect #1 data-servers: no")
        .contains("command: none of 2 member(s) holds, e.g. pid 500; command [^xrootd$] vs"
            + " 'globus-job-mana' -> no")
        .contains("  rules #1 stray-jobmanager: yes")
        .contains("walltime 3d > 2d -> yes")
        .contains("cmdline: held by pid 500; cmdline [globus-job-manager] vs"
            + " 'perl globus-job-manager -conf x' -> yes")
        .contains("decision: kill with INT, then KILL after 20s (rule 'stray-jobmanager'")
        .doesNotContain("rules #2");
  }

  @Test
  void explainSaysWhyAProcessIsNotOrphanedOrIsProtected() throws Exception {
    CliRun r = run("--explain", "101", "--proc", proc.toString(), "--rules", rules(CE).toString());
    assertThat(r.out()).contains("ancestry: 101 bash <- 100 sshd <- 1 init")
        .contains("hard floor: protects it: pid 100 runs as uid 0, below the minimum uid")
        .contains("decision: keep (protected: pid 100 runs as uid 0");
    CliRun init = run("--explain", "1", "--proc", proc.toString(), "--rules", rules(CE).toString());
    assertThat(init.out()).contains("orphaned: not orphaned: it is init")
        .contains("decision: keep (not orphaned: it is init)");
    CliRun json = run("--explain", "600", "--json", "--proc", proc.toString(), "--rules",
        rules(CE).toString());
    assertThat(json.out()).startsWith("{\"version\":1,\"pid\":600,\"comm\":\"xrootd\"")
        .contains("\"steps\":[{\"section\":\"protect\",\"index\":1,\"name\":\"data-servers\","
            + "\"result\":\"yes\",\"checks\":[{\"matcher\":\"command\",\"result\":\"yes\"")
        .contains("\"action\":\"keep\",\"rule\":\"data-servers\"");
    CliRun gone = run("--explain", "4242", "--proc", proc.toString());
    assertThat(gone.code()).isEqualTo(ExitCode.USAGE);
    assertThat(gone.err()).isEqualTo("orphan-reaper: --explain: no process 4242 in " + proc
        + "\n");
  }

  @Test
  void aPlanOverTheLimitsTripsTheCircuitBreaker() throws Exception {
    String all = "rules:\n  - name: all\n    action: kill\n";
    // 500 (2 processes), 600 and 700 would be killed: 3 families
    CliRun count = run("--debug", "--proc", proc.toString(), "--rules",
        rules("defaults: { max_kills_per_run: 2 }\n" + all).toString());
    assertThat(count.code()).isEqualTo(ExitCode.UNSAFE);
    assertThat(count.out()).contains("would kill 3");
    assertThat(count.err()).isEqualTo("orphan-reaper: circuit breaker: the plan would kill 3"
        + " families, more than max_kills_per_run 2; kill mode would kill nothing\n");
  }

  @Test
  void aPlanOverTheShareOfUserProcessesTripsTheCircuitBreaker() throws Exception {
    // the breaker counts a node's user processes by their /proc directories' owners, which the
    // fixture can give the processes' uids only as root
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new org.orphanreaper.proc.ProcFs(Path.of("/proc")).selfCredentials()
            .map(c -> c.euid() == 0).orElse(false),
        "needs root to chown the fixture's /proc directories; skipped");
    String all = "rules:\n  - name: all\n    action: kill\n";
    // 4 of the node's 5 user processes (101, below sshd, counted by its /proc directory's owner)
    CliRun share = run("--debug", "--proc", proc.toString(), "--rules",
        rules("defaults: { max_fraction: 0.5 }\n" + all).toString());
    assertThat(share.code()).isEqualTo(ExitCode.UNSAFE);
    assertThat(share.err()).contains("the plan would kill 4 of the node's 5 user processes (80%),"
        + " more than max_fraction 0.5");
    CliRun within = run("--debug", "--proc", proc.toString(), "--rules",
        rules("defaults: { max_fraction: 0.9 }\n" + all).toString());
    assertThat(within.code()).isZero();
    // an epilogue exists to clear a node: only the family count applies
    CliRun epilogue = run("--debug", "--epilogue", "--proc", proc.toString(), "--rules",
        rules("defaults: { max_fraction: 0.1 }\n" + all).toString());
    assertThat(epilogue.code()).as(epilogue.err()).isZero();
  }
}
