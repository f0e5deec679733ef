package org.orphanreaper.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.orphanreaper.base.Signal;

/** Golden tests of every kind of bad input, with line and column, and of the shipped files. */
class RulesParserTest {

  private static List<String> errors(String yaml) {
    try {
      RulesParser.parse("r.yaml", yaml);
    } catch (RulesException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    throw new AssertionError("accepted: " + yaml);
  }

  private static final String RULE = "rules:\n  - name: r\n    action: kill\n";

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of("unknown key with a did-you-mean",
            "defaults:\n  kill_afer: 10s\n" + RULE,
            List.of("r.yaml:2:3: unknown key 'kill_afer' in defaults; did you mean 'kill_after'?")),
        Arguments.of("unknown key far from any",
            "colour: red\n" + RULE,
            List.of("r.yaml:1:1: unknown key 'colour' in the rules file (expected one of:"
                + " defaults, protect, rules, anchors, subreapers, slurm)")),
        Arguments.of("matcher outside match",
            "rules:\n  - name: r\n    walltime: '> 1h'\n    action: kill\n",
            List.of("r.yaml:3:5: unknown key 'walltime' in rule; matchers go under 'match'")),
        Arguments.of("bad regex, column at the error",
            "protect:\n  - command: '^(sshd'\n" + RULE,
            List.of("r.yaml:2:21: bad regex for command: Unclosed group at character 7")),
        Arguments.of("bad duration",
            "rules:\n  - name: r\n    match: { walltime: '> 2x' }\n    action: kill\n",
            List.of("r.yaml:3:24: walltime: invalid duration '2x' (use e.g. 90s, 15m, 2h, 1d,"
                + " 1h30m, HH:MM:SS or D-HH:MM:SS)")),
        Arguments.of("durations past the maximum: the fuzzer's, which once wrapped to -16s, 17h",
            "defaults: { kill_after: '5124095576030431:00:00' }\nrules:\n  - name: r\n"
                + "    match: { walltime: '> 213503982334602-00:00:00' }\n    action: kill\n"
                + "    grace: 99999999999999999999d\n",
            List.of("r.yaml:1:25: kill_after: duration '5124095576030431:00:00' is out of range:"
                    + " at most 36500d (100 years)",
                "r.yaml:4:24: walltime: duration '213503982334602-00:00:00' is out of range: at"
                    + " most 36500d (100 years)",
                "r.yaml:6:12: grace: duration '99999999999999999999d' is out of range: at most"
                    + " 36500d (100 years)")),
        Arguments.of("comparison without operator",
            "rules:\n  - name: r\n    match: { walltime: 2h }\n    action: kill\n",
            List.of("r.yaml:3:24: walltime: '2h' is not a comparison such as '> 2h' (operators"
                + " >, >=, <, <=, ==)")),
        Arguments.of("bad size",
            "rules:\n  - name: r\n    match: { rss: '>= 1Q' }\n    action: kill\n",
            List.of("r.yaml:3:19: rss: invalid size '1Q' (use e.g. 4096, 512K, 100M, 1.5G, 2T)")),
        Arguments.of("unquoted comparison gets a quoting hint",
            "rules:\n  - name: r\n    match:\n      walltime: > 2d\n    action: kill\n",
            List.of("r.yaml:4:19: YAML syntax: expected a comment or a line break, but found"
                + " 2(50); quote comparisons that start with > or <, e.g. walltime: '> 2d'")),
        Arguments.of("wrong type: list where a mapping belongs",
            "defaults: [1, 2]\n" + RULE,
            List.of("r.yaml:1:11: defaults must be a mapping (key: value lines), not a list")),
        Arguments.of("wrong type: mapping where a value belongs",
            "rules:\n  - name: r\n    match: { users: { a: b } }\n    action: kill\n",
            List.of("r.yaml:3:21: users must be a value, not a mapping")),
        Arguments.of("duplicate rule name",
            "rules:\n  - name: r\n    action: kill\n  - name: r\n    action: keep\n",
            List.of("r.yaml:4:11: duplicate rule name 'r' (first at line 2)")),
        Arguments.of("empty rules",
            "rules: []\n",
            List.of("r.yaml:1:8: no rules: add at least one rule under 'rules' (a family no rule"
                + " matches is kept)")),
        Arguments.of("empty file",
            "# nothing\n",
            List.of("r.yaml:1:1: empty file: no rules")),
        Arguments.of("duplicate YAML key",
            "rules:\n  - name: r\n    action: kill\n    action: keep\n",
            List.of("r.yaml:4:5: duplicate key 'action' (first at line 3)")),
        Arguments.of("tab in indentation",
            "rules:\n\t- name: r\n",
            List.of("r.yaml:2:1: tab in indentation; indent with spaces")),
        Arguments.of("object-constructing tag",
            "rules:\n  - name: !!java.lang.ProcessBuilder [rm]\n    action: kill\n",
            List.of("r.yaml:2:11: YAML tags that construct objects are not allowed in a rules"
                + " file (tag:yaml.org,2002:java.lang.ProcessBuilder)")),
        Arguments.of("merge keys",
            "rules:\n  - &a { name: r, action: kill }\n  - { <<: *a, name: s }\n",
            List.of("r.yaml:3:5: rule 's' has no action; use kill, report or keep",
                "r.yaml:3:7: merge keys (<<) are not supported")),
        Arguments.of("unknown action and signal where it cannot apply",
            "rules:\n  - name: r\n    action: kil\n  - name: s\n    action: report\n"
                + "    signal: KILL\n",
            List.of("r.yaml:3:13: action: unknown action 'kil'; use kill, report or keep; did"
                + " you mean 'kill'?",
                "r.yaml:6:13: signal applies to action kill only, not report")),
        Arguments.of("every error at once, in file order",
            "defaults:\n  min_uid: 0\n  signal: FOO\nrules:\n  - match: { state: Q, tty: maybe }\n"
                + "    action: kill\n",
            List.of("r.yaml:2:12: min_uid: must be a uid of 1 or more, not '0'",
                "r.yaml:3:11: signal: unknown or unusable signal 'FOO' (use e.g. TERM, INT, HUP,"
                    + " KILL or a number)",
                "r.yaml:5:5: rule without a name; every rule needs one (it goes to syslog)",
                "r.yaml:5:21: state 'Q' is not one of R S D T t Z X I P W K",
                "r.yaml:5:29: tty: must be true or false, not 'maybe'")),
        Arguments.of("slurm commands: a relative directory, an unknown key",
            "slurm:\n  bin: opt/slurm/bin\n  sbin: /opt/slurm/sbin\n" + RULE,
            List.of("r.yaml:2:8: bin: 'opt/slurm/bin' is not an absolute directory path",
                "r.yaml:3:3: unknown key 'sbin' in slurm; did you mean 'bin'?")),
        Arguments.of("circuit breaker limits",
            "defaults: { max_kills_per_run: 0, max_fraction: 1.5 }\n" + RULE,
            List.of("r.yaml:1:32: max_kills_per_run: must be a whole number of 1 or more, not '0'",
                "r.yaml:1:49: max_fraction: must be a share in (0, 1] such as 0.5, not '1.5'")),
        Arguments.of("protect entry without matchers",
            "protect:\n  - name: everything\n" + RULE,
            List.of("r.yaml:2:5: protect entry 'everything' has no matcher; it would protect"
                + " every family")),
        Arguments.of("a glob's bad class, in the glob's terms and on one line",
            "protect:\n  - exe: '/usr/[z-a]'\n  - cgroup: \"/a[\\n-\\x01]\"\n" + RULE,
            List.of("r.yaml:2:10: exe: glob '/usr/[z-a]': Illegal character range",
                "r.yaml:3:13: cgroup: glob '/a[\\n-\\x01]': Illegal character range")),
        Arguments.of("uids take numbers only",
            "rules:\n  - name: r\n    match: { uids: [alice] }\n    action: kill\n",
            List.of("r.yaml:3:21: uids: 'alice' is not an id or a range such as 5000-5999"
                + " (names go under users/groups)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void rejectsWithLineAndColumn(String what, String yaml, List<String> expected) {
    assertThat(errors(yaml)).containsExactlyElementsOf(expected);
  }

  @Test
  void aliasBombsAndRecursionAreBounded() {
    StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 12; i++) {
      bomb.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        bomb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      bomb.append("]\n");
    }
    // at the alias over the limit: the 51st, the first of line 7
    assertThat(errors(bomb.toString())).containsExactly(
        "r.yaml:7:10: YAML: Number of aliases for non-scalar nodes exceeds the specified max=50");
    // at the node one level too deep
    assertThat(errors("rules:\n  - " + "[".repeat(20) + "]".repeat(20) + "\n")).containsExactly(
        "r.yaml:2:20: YAML: Nesting Depth exceeded max 16");
    assertThat(errors("a: &a [*a]\n")).contains(
        "r.yaml:1:1: unknown key 'a' in the rules file (expected one of: defaults, protect,"
            + " rules, anchors, subreapers, slurm)");
    assertThat(errors("x".repeat(RulesParser.MAX_CHARS + 1))).containsExactly(
        "r.yaml: larger than 256 KiB; is this a rules file?");
  }

  private static final Path LONG_LINE =
      Path.of("src/test/resources/rules-long/quarter-megabyte-regex.yaml");

  /**
   * The fuzzer's 250 KB line, a regex of one letter: java.util.regex took 14 s to compile it (a
   * table quadratic in a leading literal's length). It parses, and its regex is kept as written.
   */
  @Test
  void aQuarterMegabyteRegexParses() throws Exception {
    RuleSet r = RulesFile.load(Optional.of(LONG_LINE), LONG_LINE, false);
    Matcher.Regex m = (Matcher.Regex) r.protect().get(0).selector().matchers().get(0);
    assertThat(m.normalised()).isEqualTo(List.of("a".repeat(250 * 1024)));
    // a glob is compiled to a regex too, with the same leading literal
    String glob = Files.readString(LONG_LINE).replace("command: 'a", "exe: '/a");
    assertThat(RulesParser.parse("r.yaml", glob).protect().get(0).selector().matchers().get(0)
        .normalised()).isEqualTo(List.of("/" + "a".repeat(250 * 1024)));
  }

  /** The same line broken at its end, and as a glob: rejected at the place of the error. */
  @Test
  void aQuarterMegabyteLineIsRejectedWithItsPlace() throws Exception {
    String yaml = Files.readString(LONG_LINE);
    String open = yaml.replace("a'\n", "a(\\w'\n");
    assertThat(errors(open)).containsExactly(
        "r.yaml:5:" + (15 + 250 * 1024 + 3) + ": bad regex for command: Unclosed group at"
            + " character " + (250 * 1024 + 4));
    String glob = yaml.replace("command: 'a", "exe: '/a").replace("a'\n", "a['\n");
    assertThat(errors(glob)).containsExactly("r.yaml:5:10: exe: unclosed '[' at character "
        + (250 * 1024 + 2) + " of glob '/" + "a".repeat(250 * 1024) + "['");
  }

  @Test
  void aFullFileParsesIntoTheModel() throws Exception {
    RuleSet r = RulesParser.parse("r.yaml", String.join("\n",
        "defaults: { min_uid: 5000, signal: INT, kill_after: 1m }",
        "protect:",
        "  - users: [xrootd, cvmfs]",
        "  - name: sshd",
        "    command: '^(sshd|xrootd|cmsd)$'",
        "rules:",
        "  - name: stray-jobmanager",
        "    match: { cmdline: 'globus-job-manager', walltime: '> 2d' }",
        "    action: kill",
        "  - name: idle-orphans",
        "    match: { cputime: '< 1m', walltime: '> 6h', members: all }",
        "    action: kill",
        "    signal: KILL",
        "  - name: audit-everything-else",
        "    action: report",
        ""));
    assertThat(r.defaults().minUid()).hasValue(5000);
    assertThat(r.defaults().signal()).isEqualTo(Signal.INT);
    assertThat(r.defaults().killAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(r.protect()).extracting(Protect::name).containsExactly("protect #1", "sshd");
    assertThat(r.rules()).extracting(Rule::name)
        .containsExactly("stray-jobmanager", "idle-orphans", "audit-everything-else");
    assertThat(r.rules().get(1).signal()).contains(Signal.KILL);
    assertThat(r.rules().get(1).selector().allMembers()).isTrue();
    assertThat(r.rules().get(2).action()).isEqualTo(Rule.Action.REPORT);
    assertThat(r.rules().get(2).line()).isEqualTo(14);
    assertThat(r.normalised().toString()).contains("walltime=> 172800")
        .contains("cputime=< 60").contains("kill_after=60");
    assertThat(r.slurmBin()).isEmpty();
    assertThat(r.normalised()).doesNotContainKey("slurm");
  }

  @Test
  void slurmCommandsComeFromTheDirectoryTheFileNames() throws Exception {
    RuleSet r = RulesParser.parse("r.yaml", "slurm: { bin: /opt/slurm/bin }\n" + RULE);
    assertThat(r.slurmBin()).contains("/opt/slurm/bin");
    assertThat(r.normalised()).containsEntry("slurm", java.util.Map.of("bin", "/opt/slurm/bin"));
    assertThat(RulesParser.parse("r.yaml", "slurm:\n" + RULE).slurmBin()).isEmpty();
  }

  @Test
  void everyShippedRulesFileIsValidAndTheBuiltInIsDefaultYaml() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("rules"))) {
      List<Path> shipped = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(shipped).extracting(p -> p.getFileName().toString())
          .contains("default.yaml", "worker-node.yaml", "ce.yaml");
      for (Path p : shipped) {
        RuleSet r = RulesParser.parse(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
        assertThat(r.rules()).as(p.toString()).isNotEmpty();
      }
    }
    RuleSet builtIn = RulesFile.builtIn();
    RuleSet file = RulesParser.parse(RulesFile.BUILT_IN,
        Files.readString(Path.of("rules/default.yaml")));
    assertThat(builtIn.normalised()).isEqualTo(file.normalised());
  }

  @Test
  void aBareRuleHasNoMatchersAndMatchesEverything() throws Exception {
    assertThatThrownBy(() -> RulesParser.parse("r.yaml", "rules:\n  - action: kill\n"))
        .isInstanceOf(RulesException.class);
    RuleSet r = RulesParser.parse("r.yaml", RULE);
    assertThat(r.rules().get(0).selector().matchers()).isEmpty();
  }
}
