package org.orphanreaper.rules;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.orphanreaper.base.DurationSyntax;
import org.orphanreaper.base.Signal;
import org.orphanreaper.evidence.Anchors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a rules file into a {@link RuleSet}, or rejects it whole with every problem found, each
 * with its line and column. Only the YAML node tree is composed: no tag ever constructs an
 * object, and anchors, nesting and size are bounded.
 */
public final class RulesParser {

  static final int MAX_CHARS = 256 * 1024;
  private static final int MAX_ALIASES = 50;
  private static final int MAX_DEPTH = 16;

  static final List<String> TOP =
      List.of("defaults", "protect", "rules", "anchors", "subreapers", "slurm");
  static final List<String> SLURM = List.of("bin");
  static final List<String> DEFAULTS = List.of("min_uid", "signal", "kill_after", "scope",
      "max_kills_per_run", "max_fraction", "grace");
  static final List<String> MATCHERS = List.of("users", "uids", "groups", "gids", "command",
      "cmdline", "exe", "cputime", "walltime", "rss", "processes", "state", "tty", "cgroup",
      "job", "members");
  static final List<String> RULE =
      List.of("name", "match", "action", "signal", "kill_after", "grace", "immediate");
  private static final Set<Tag> PLAIN_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.BOOL, Tag.NULL, Tag.FLOAT, Tag.MAP, Tag.SEQ);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final String STATES = "RSDTtZXxIPWK";

  private final String file;
  private final List<Problem> problems = new ArrayList<>();
  /** Nodes already checked: an alias shares its anchor's node, and may even contain it. */
  private final Set<Node> checked = Collections.newSetFromMap(new IdentityHashMap<>());

  private RulesParser(String file) {
    this.file = file;
  }

  /** Parses {@code text}, read from {@code file} (used in messages only). */
  public static RuleSet parse(String file, String text) throws RulesException {
    return new RulesParser(file).parse(text);
  }

  private RuleSet parse(String text) throws RulesException {
    if (text.length() > MAX_CHARS) {
      throw new RulesException(new Problem(file, 0, 0,
          "larger than " + MAX_CHARS / 1024 + " KiB; is this a rules file?"));
    }
    tabs(text);
    if (!problems.isEmpty()) {
      throw new RulesException(problems);
    }
    Node root = compose(text);
    if (root == null || isNull(root)) {
      throw new RulesException(new Problem(file, 1, 1, "empty file: no rules"));
    }
    structure(root);
    RuleSet set = build(root);
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
      throw new RulesException(problems);
    }
    return set;
  }

  /** YAML forbids tabs in indentation; SnakeYAML's own message about them is cryptic. */
  private void tabs(String text) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      for (int c = 0; c < l.length() && (l.charAt(c) == ' ' || l.charAt(c) == '\t'); c++) {
        if (l.charAt(c) == '\t') {
          problems.add(new Problem(file, i + 1, c + 1, "tab in indentation; indent with spaces"));
          break;
        }
      }
    }
  }

  private Node compose(String text) throws RulesException {
    LoaderOptions o = new LoaderOptions();
    o.setAllowDuplicateKeys(false);
    o.setMaxAliasesForCollections(MAX_ALIASES);
    o.setNestingDepthLimit(MAX_DEPTH);
    o.setCodePointLimit(MAX_CHARS);
    o.setAllowRecursiveKeys(false);
    MarkingParser parser =
        new MarkingParser(new ParserImpl(new StreamReader(new StringReader(text)), o));
    try {
      // The composer alone, as Yaml.compose uses it: no constructor, representer or dumper is
      // made, and with them not SnakeYAML's logger, which would start java.util.logging (a
      // tenth of a cron run's start-up).
      return new Composer(parser, new Resolver(), o).getSingleNode();
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage());
      String msg = problem.startsWith("Global tag is not allowed")
          ? "YAML tags that construct objects are not allowed in a rules file ("
              + problem.substring(problem.indexOf(':') + 1).trim() + ")"
          : "YAML syntax: " + problem;
      if (m != null && quotingHint(text, m.getLine())) {
        msg += "; quote comparisons that start with > or <, e.g. walltime: '> 2d'";
      }
      throw new RulesException(at(m, msg));
    } catch (ReaderException e) {
      // a character YAML does not allow; its position counts code points from the start
      Place at = Place.of(text, e.getPosition());
      throw new RulesException(new Problem(file, at.line(), at.column(), String.format(
          "YAML: character U+%04X is not allowed in YAML text", e.getCodePoint())));
    } catch (YAMLException e) {
      // the alias and nesting limits, thrown without a mark
      throw new RulesException(at(parser.lastMark(), "YAML: " + oneLine(e.getMessage())));
    }
  }

  private static boolean quotingHint(String text, int line) {
    String[] lines = text.split("\n", -1);
    return line >= 0 && line < lines.length && lines[line].matches(".*:\\s*[><].*");
  }

  private static String oneLine(String s) {
    return s == null ? "invalid YAML" : s.replaceAll("\\s+", " ").trim();
  }

  /** Duplicate keys, non-string keys and object-constructing tags, anywhere in the tree. */
  private void structure(Node n) {
    if (!checked.add(n)) {
      return;
    }
    if (!PLAIN_TAGS.contains(n.getTag())) {
      add(n, "YAML tag " + n.getTag().getValue() + " is not allowed in a rules file");
      return;
    }
    if (n instanceof MappingNode m) {
      Map<String, Node> seen = new HashMap<>();
      for (NodeTuple t : m.getValue()) {
        Node k = t.getKeyNode();
        if (!(k instanceof ScalarNode ks) || !PLAIN_TAGS.contains(k.getTag())) {
          add(k, k.getTag() == Tag.MERGE ? "merge keys (<<) are not supported"
              : "keys must be plain names");
          continue;
        }
        Node first = seen.putIfAbsent(ks.getValue(), k);
        if (first != null) {
          add(k, "duplicate key '" + ks.getValue() + "' (first at line "
              + (first.getStartMark().getLine() + 1) + ")");
        }
        structure(t.getValueNode());
      }
    } else if (n instanceof SequenceNode s) {
      s.getValue().forEach(this::structure);
    }
  }

  private RuleSet build(Node root) {
    Map<String, Node> top = mapping(root, "the rules file", TOP, Map.of());
    if (top == null) {
      return null;
    }
    Defaults defaults = defaults(top.get("defaults"));
    List<Protect> protect = new ArrayList<>();
    Node p = top.get("protect");
    if (p != null && !isNull(p)) {
      List<Node> items = sequence(p, "protect");
      for (int i = 0; i < items.size(); i++) {
        protect(items.get(i), i + 1).ifPresent(protect::add);
      }
    }
    List<Rule> rules = new ArrayList<>();
    Node r = top.get("rules");
    if (r == null || isNull(r) || (r instanceof SequenceNode s && s.getValue().isEmpty())) {
      add(r == null ? root : r,
          "no rules: add at least one rule under 'rules' (a family no rule matches is kept)");
    } else {
      Map<String, Integer> names = new HashMap<>();
      for (Node item : sequence(r, "rules")) {
        rule(item, defaults, names).ifPresent(rules::add);
      }
    }
    List<String> anchors = top.containsKey("anchors")
        ? executables(top.get("anchors"), "anchors") : Anchors.DEFAULT;
    List<String> subreapers = top.containsKey("subreapers")
        ? executables(top.get("subreapers"), "subreapers") : List.of();
    return new RuleSet(file, defaults, protect, rules, anchors, subreapers,
        slurmBin(top.get("slurm")));
  }

  /** {@code slurm: { bin: DIR }}: the only directory scontrol and squeue are run from. */
  private Optional<String> slurmBin(Node n) {
    if (n == null || isNull(n)) {
      return Optional.empty();
    }
    Map<String, Node> m = mapping(n, "slurm", SLURM, Map.of());
    if (m == null || !m.containsKey("bin")) {
      return Optional.empty();
    }
    return Optional.ofNullable(value(m.get("bin"), "bin", t -> {
      if (!t.startsWith("/") || t.contains("/../") || t.endsWith("/..")) {
        throw new IllegalArgumentException("'" + t + "' is not an absolute directory path");
      }
      return t;
    }));
  }

  /** Absolute executable paths, as the kernel's exe link shows them. */
  private List<String> executables(Node n, String what) {
    List<String> out = new ArrayList<>();
    if (isNull(n)) {
      return out;
    }
    for (Node item : sequence(n, what)) {
      String p = value(item, what, t -> {
        if (!t.startsWith("/") || t.contains("*") || t.contains("/../")) {
          throw new IllegalArgumentException("'" + t + "' is not an absolute executable path");
        }
        return t;
      });
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  private Defaults defaults(Node n) {
    if (n == null || isNull(n)) {
      return Defaults.BUILT_IN;
    }
    Map<String, Node> m = mapping(n, "defaults", DEFAULTS, Map.of());
    if (m == null) {
      return Defaults.BUILT_IN;
    }
    OptionalLong minUid = OptionalLong.empty();
    if (m.containsKey("min_uid")) {
      Long v = value(m.get("min_uid"), "min_uid", RulesParser::minUid);
      if (v != null) {
        minUid = OptionalLong.of(v);
      }
    }
    Signal signal = orElse(signal(m.get("signal")), Defaults.BUILT_IN.signal());
    Duration killAfter = orElse(duration(m.get("kill_after"), "kill_after"),
        Defaults.BUILT_IN.killAfter());
    Defaults.Scope scope = Defaults.BUILT_IN.scope();
    if (m.containsKey("scope")) {
      scope = orElse(value(m.get("scope"), "scope", t -> switch (t) {
        case "orphans" -> Defaults.Scope.ORPHANS;
        case "lineage" -> Defaults.Scope.LINEAGE;
        default -> throw new IllegalArgumentException(
            "must be orphans or lineage, not '" + t + "'");
      }), scope);
    }
    int maxKills = Defaults.BUILT_IN.maxKillsPerRun();
    if (m.containsKey("max_kills_per_run")) {
      maxKills = orElse(value(m.get("max_kills_per_run"), "max_kills_per_run", t -> {
        try {
          int v = Integer.parseInt(t.trim());
          if (v >= 1) {
            return v;
          }
        } catch (NumberFormatException e) {
          // below
        }
        throw new IllegalArgumentException("must be a whole number of 1 or more, not '" + t + "'");
      }), maxKills);
    }
    double maxFraction = Defaults.BUILT_IN.maxFraction();
    if (m.containsKey("max_fraction")) {
      maxFraction = orElse(value(m.get("max_fraction"), "max_fraction", t -> {
        try {
          double v = Double.parseDouble(t.trim());
          if (v > 0 && v <= 1) {
            return v;
          }
        } catch (NumberFormatException e) {
          // below
        }
        throw new IllegalArgumentException("must be a share in (0, 1] such as 0.5, not '" + t
            + "'");
      }), maxFraction);
    }
    Duration grace = orElse(duration(m.get("grace"), "grace"), Defaults.BUILT_IN.grace());
    return new Defaults(minUid, signal, killAfter, scope, maxKills, maxFraction, grace);
  }

  private static long minUid(String text) {
    try {
      long v = Long.parseLong(text.trim());
      if (v >= 1 && v <= 0xFFFFFFFFL) { // uid_t is unsigned 32-bit
        return v;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("must be a uid of 1 or more, not '" + text + "'");
  }

  private Optional<Protect> protect(Node n, int index) {
    List<String> keys = new ArrayList<>(MATCHERS);
    keys.add("name");
    Map<String, Node> m = mapping(n, "protect entry", keys, Map.of("match",
        "protect entries list their matchers directly, without 'match'"));
    if (m == null) {
      return Optional.empty();
    }
    String name = m.containsKey("name") ? name(m.get("name")) : "protect #" + index;
    m.remove("name");
    Selector s = selector(m);
    if (m.isEmpty()) {
      add(n, "protect entry '" + name + "' has no matcher; it would protect every family");
    }
    return Optional.ofNullable(name).map(x -> new Protect(x, s, line(n)));
  }

  private Optional<Rule> rule(Node n, Defaults defaults, Map<String, Integer> names) {
    Map<String, String> hints = new HashMap<>();
    MATCHERS.forEach(k -> hints.put(k, "matchers go under 'match'"));
    Map<String, Node> m = mapping(n, "rule", RULE, hints);
    if (m == null) {
      return Optional.empty();
    }
    if (!m.containsKey("name")) {
      add(n, "rule without a name; every rule needs one (it goes to syslog)");
    }
    String name = m.containsKey("name") ? name(m.get("name")) : null;
    if (name != null) {
      Integer first = names.putIfAbsent(name, line(m.get("name")));
      if (first != null) {
        add(m.get("name"), "duplicate rule name '" + name + "' (first at line " + first + ")");
      }
    }
    Selector selector = new Selector(List.of(), false);
    Node match = m.get("match");
    if (match != null && !isNull(match)) {
      Map<String, Node> mm = mapping(match, "match", MATCHERS, Map.of());
      if (mm != null) {
        selector = selector(mm);
      }
    }
    Rule.Action action = null;
    if (!m.containsKey("action")) {
      add(n, "rule" + (name == null ? "" : " '" + name + "'")
          + " has no action; use kill, report or keep");
    } else {
      action = value(m.get("action"), "action", RulesParser::action);
    }
    Optional<Signal> signal = Optional.ofNullable(signal(m.get("signal")));
    Optional<Duration> killAfter = Optional.ofNullable(duration(m.get("kill_after"), "kill_after"));
    Optional<Duration> grace = Optional.ofNullable(duration(m.get("grace"), "grace"));
    boolean immediate = false;
    if (m.containsKey("immediate")) {
      immediate = Boolean.TRUE.equals(value(m.get("immediate"), "immediate", RulesParser::bool));
    }
    if (action != null && action != Rule.Action.KILL) {
      for (String k : List.of("signal", "kill_after", "grace", "immediate")) {
        if (m.containsKey(k)) {
          add(m.get(k), k + " applies to action kill only, not " + action.word());
        }
      }
    }
    if (name == null || action == null) {
      return Optional.empty();
    }
    return Optional.of(new Rule(name, selector, action, signal, killAfter, grace, immediate,
        line(n)));
  }

  private static Rule.Action action(String text) {
    return switch (text.trim()) {
      case "kill" -> Rule.Action.KILL;
      case "report" -> Rule.Action.REPORT;
      case "keep" -> Rule.Action.KEEP;
      default -> throw new IllegalArgumentException(
          "unknown action '" + text + "'; use kill, report or keep" + suggestion(text,
              List.of("kill", "report", "keep")));
    };
  }

  private Selector selector(Map<String, Node> m) {
    List<Matcher> matchers = new ArrayList<>();
    boolean all = false;
    for (Map.Entry<String, Node> e : m.entrySet()) {
      String k = e.getKey();
      Node v = e.getValue();
      Matcher x = switch (k) {
        case "users", "uids" -> ids(k, false, v);
        case "groups", "gids" -> ids(k, true, v);
        case "command", "cmdline" -> regex(k, v);
        case "exe", "cgroup" -> globs(k, v);
        case "cputime" -> measured(Matcher.Measure.CPUTIME, v);
        case "walltime" -> measured(Matcher.Measure.WALLTIME, v);
        case "rss" -> measured(Matcher.Measure.RSS, v);
        case "processes" -> measured(Matcher.Measure.PROCESSES, v);
        case "state" -> states(v);
        case "tty" -> value(v, "tty", RulesParser::tty);
        case "job" -> jobs(v);
        case "members" -> {
          String s = value(v, "members", t -> {
            if (!t.equals("any") && !t.equals("all")) {
              throw new IllegalArgumentException("must be any or all, not '" + t + "'");
            }
            return t;
          });
          all = "all".equals(s);
          yield null;
        }
        default -> throw new IllegalStateException("unchecked key " + k);
      };
      if (x != null) {
        matchers.add(x);
      }
    }
    return new Selector(matchers, all);
  }

  private Matcher ids(String key, boolean groups, Node v) {
    boolean names = key.equals("users") || key.equals("groups");
    List<IdPattern> out = new ArrayList<>();
    for (Node item : list(v, key)) {
      IdPattern p = value(item, key, t -> IdPattern.parse(t, names));
      if (p != null) {
        out.add(p);
      }
    }
    return out.isEmpty() ? null : new Matcher.Ids(key, groups, out);
  }

  private Matcher regex(String key, Node v) {
    List<LinearRegex> out = new ArrayList<>();
    for (Node item : list(v, key)) {
      String text = scalar(item, key);
      if (text == null) {
        continue;
      }
      try {
        out.add(LinearRegex.compile(text));
      } catch (PatternSyntaxException e) {
        Mark m = item.getStartMark();
        boolean quoted = ((ScalarNode) item).getScalarStyle() != DumperOptions.ScalarStyle.PLAIN;
        int col = m.getColumn() + 1 + (quoted ? 1 : 0) + Math.max(0, e.getIndex());
        problems.add(new Problem(file, m.getLine() + 1, col, "bad regex for " + key + ": "
            + e.getDescription() + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1)
            : "")));
      }
    }
    return out.isEmpty() ? null : new Matcher.Regex(key, out);
  }

  private Matcher globs(String key, Node v) {
    List<Glob> out = new ArrayList<>();
    for (Node item : list(v, key)) {
      Glob g = value(item, key, Glob::of);
      if (g != null) {
        out.add(g);
      }
    }
    return out.isEmpty() ? null : new Matcher.Globs(key, out);
  }

  private Matcher measured(Matcher.Measure measure, Node v) {
    Comparison c = value(v, measure.key, t -> Comparison.parse(t, measure.quantity));
    return c == null ? null : new Matcher.Measured(measure, c);
  }

  private Matcher states(Node v) {
    Set<Character> out = new HashSet<>();
    for (Node item : list(v, "state")) {
      String t = scalar(item, "state");
      if (t == null) {
        continue;
      }
      if (t.length() != 1 || STATES.indexOf(t.charAt(0)) < 0) {
        add(item, "state '" + t + "' is not one of R S D T t Z X I P W K");
      } else {
        out.add(t.charAt(0));
      }
    }
    return out.isEmpty() ? null : new Matcher.States(out);
  }

  private Matcher jobs(Node v) {
    Set<String> out = new HashSet<>();
    for (Node item : list(v, "job")) {
      String t = value(item, "job", x -> {
        if (!List.of("running", "ended", "none").contains(x)) {
          throw new IllegalArgumentException("must be running, ended or none, not '" + x + "'");
        }
        return x;
      });
      if (t != null) {
        out.add(t);
      }
    }
    return out.isEmpty() ? null : new Matcher.Job(out);
  }

  private static Matcher tty(String text) {
    return new Matcher.Tty(bool(text));
  }

  private static boolean bool(String text) {
    return switch (text.trim()) {
      case "true", "yes" -> true;
      case "false", "no" -> false;
      default -> throw new IllegalArgumentException("must be true or false, not '" + text + "'");
    };
  }

  private String name(Node n) {
    String s = scalar(n, "name");
    if (s != null && !NAME.matcher(s).matches()) {
      add(n, "name '" + s + "' must be 1-64 letters, digits, '.', '_' or '-'");
      return null;
    }
    return s;
  }

  private Signal signal(Node n) {
    if (n == null) {
      return null;
    }
    return value(n, "signal", t -> Signal.parse(t)
        .filter(s -> s != Signal.STOP && s != Signal.CONT)
        .orElseThrow(() -> new IllegalArgumentException("unknown or unusable signal '" + t
            + "' (use e.g. TERM, INT, HUP, KILL or a number)")));
  }

  private Duration duration(Node n, String key) {
    return n == null ? null : value(n, key, DurationSyntax::parse);
  }

  // ---- node access: each records a problem at the node and returns null on error ----

  private Map<String, Node> mapping(Node n, String what, List<String> allowed,
      Map<String, String> hints) {
    if (!(n instanceof MappingNode m)) {
      add(n, what + " must be a mapping (key: value lines), not " + kind(n));
      return null;
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key) || key.getTag() == Tag.MERGE) {
        continue; // reported by structure()
      }
      String k = key.getValue();
      if (!allowed.contains(k)) {
        String hint = hints.containsKey(k) ? "; " + hints.get(k) : suggestion(k, allowed);
        add(t.getKeyNode(), "unknown key '" + k + "' in " + what + hint);
      } else {
        out.putIfAbsent(k, t.getValueNode());
      }
    }
    return out;
  }

  private List<Node> sequence(Node n, String what) {
    if (!(n instanceof SequenceNode s)) {
      add(n, what + " must be a list ('- ' items), not " + kind(n));
      return List.of();
    }
    return s.getValue();
  }

  /** A scalar or a list of scalars, as list matchers accept both. */
  private List<Node> list(Node n, String what) {
    if (n instanceof SequenceNode s) {
      if (s.getValue().isEmpty()) {
        add(n, what + " is an empty list");
      }
      return s.getValue();
    }
    return List.of(n);
  }

  private String scalar(Node n, String what) {
    if (!(n instanceof ScalarNode s) || isNull(n)) {
      add(n, what + " must be a value, not " + kind(n));
      return null;
    }
    return s.getValue();
  }

  private <T> T value(Node n, String what, Function<String, T> parse) {
    String text = scalar(n, what);
    if (text == null) {
      return null;
    }
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      add(n, what + ": " + e.getMessage());
      return null;
    }
  }

  private static <T> T orElse(T v, T fallback) {
    return v == null ? fallback : v;
  }

  private static boolean isNull(Node n) {
    return n.getTag() == Tag.NULL;
  }

  private static String kind(Node n) {
    if (isNull(n)) {
      return "nothing";
    }
    if (n instanceof MappingNode) {
      return "a mapping";
    }
    return n instanceof SequenceNode ? "a list" : "'" + ((ScalarNode) n).getValue() + "'";
  }

  private static int line(Node n) {
    return n.getStartMark().getLine() + 1;
  }

  private void add(Node n, String message) {
    problems.add(at(n.getStartMark(), message));
  }

  /** A problem at SnakeYAML's mark (0-based), or of the whole file when there is none. */
  private Problem at(Mark m, String message) {
    return m == null ? new Problem(file, 0, 0, message)
        : new Problem(file, m.getLine() + 1, m.getColumn() + 1, message);
  }

  /** {@code ; did you mean 'x'?} for a near miss, else the keys that are allowed. */
  static String suggestion(String word, List<String> allowed) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String a : allowed) {
      int d = distance(word, a);
      if (d < bestDistance) {
        best = a;
        bestDistance = d;
      }
    }
    if (best != null && bestDistance <= Math.max(2, word.length() / 3)) {
      return "; did you mean '" + best + "'?";
    }
    return " (expected one of: " + String.join(", ", allowed) + ")";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
