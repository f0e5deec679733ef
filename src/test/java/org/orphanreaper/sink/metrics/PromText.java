package org.orphanreaper.sink.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, written from the format's
 * specification (prometheus.io, "Exposition formats", text format details) for the tests: the
 * Prometheus Java client libraries only write the format, Python is not in CI. It rejects
 * everything the specification forbids that a lenient reader might let through: a missing final
 * line feed, a second HELP or TYPE for a metric, either after its samples, samples of one metric
 * that are not grouped, duplicate series or label names, bad escapes, names outside the grammar,
 * sample names that do not fit the metric's type, and values Go's ParseFloat would read differently
 * or not at all.
 */
final class PromText {

  /** One metric: its HELP (unescaped), TYPE and samples in order. */
  record Family(String name, String help, String type, List<Sample> samples) {}

  record Sample(String name, Map<String, String> labels, double value) {}

  static final class ParseException extends Exception {
    ParseException(int line, String why) {
      super("line " + line + ": " + why);
    }
  }

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern FLOAT =
      Pattern.compile("[+-]?(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|Inf)|NaN");
  private static final Pattern TIMESTAMP = Pattern.compile("-?[0-9]+");
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");

  private final Map<String, String> help = new LinkedHashMap<>();
  private final Map<String, String> type = new LinkedHashMap<>();
  private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
  private final Set<String> order = new LinkedHashSet<>();
  private final Set<String> closed = new HashSet<>();
  private final Set<String> series = new HashSet<>();
  private String current;
  private int lineNo;

  private PromText() {}

  /** Every metric of {@code text}, by name, in order of first appearance. */
  static Map<String, Family> parse(String text) throws ParseException {
    PromText p = new PromText();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new ParseException(text.split("\n", -1).length, "the last line must end with \\n");
    }
    for (String line : text.split("\n", -1)) {
      p.lineNo++;
      p.line(line);
    }
    Map<String, Family> out = new LinkedHashMap<>();
    for (String n : p.order) {
      out.put(
          n,
          new Family(
              n,
              p.help.get(n),
              p.type.getOrDefault(n, "untyped"),
              List.copyOf(p.samples.getOrDefault(n, List.of()))));
    }
    return out;
  }

  private void line(String raw) throws ParseException {
    String line = raw.strip();
    if (line.isEmpty()) {
      return;
    }
    if (line.startsWith("#")) {
      comment(line);
    } else {
      sample(line);
    }
  }

  private void comment(String line) throws ParseException {
    String[] t = line.substring(1).stripLeading().split("[ \t]+", 3);
    if (t.length < 2 || !(t[0].equals("HELP") || t[0].equals("TYPE"))) {
      return; // an ordinary comment
    }
    String name = t[1];
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new ParseException(lineNo, "bad metric name '" + name + "'");
    }
    enter(name);
    if (samples.containsKey(name)) {
      throw new ParseException(lineNo, t[0] + " for " + name + " after its samples");
    }
    if (t[0].equals("HELP")) {
      if (help.containsKey(name)) {
        throw new ParseException(lineNo, "second HELP for " + name);
      }
      help.put(name, unescape(t.length > 2 ? t[2] : ""));
    } else {
      if (type.containsKey(name)) {
        throw new ParseException(lineNo, "second TYPE for " + name);
      }
      String ty = t.length > 2 ? t[2].strip() : "";
      if (!TYPES.contains(ty)) {
        throw new ParseException(lineNo, "unknown type '" + ty + "'");
      }
      type.put(name, ty);
    }
  }

  /** Moves to metric {@code name}; a metric left may not come back. */
  private void enter(String name) throws ParseException {
    if (name.equals(current)) {
      return;
    }
    if (closed.contains(name)) {
      throw new ParseException(lineNo, "lines of " + name + " are not grouped together");
    }
    if (current != null) {
      closed.add(current);
    }
    current = name;
    order.add(name);
  }

  private void sample(String line) throws ParseException {
    int i = 0;
    while (i < line.length() && " \t{".indexOf(line.charAt(i)) < 0) {
      i++;
    }
    String name = line.substring(0, i);
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new ParseException(lineNo, "bad metric name '" + name + "'");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = labels(line, i + 1, labels);
    }
    String[] rest = line.substring(i).strip().split("[ \t]+");
    if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
      throw new ParseException(lineNo, "expected a value and an optional timestamp");
    }
    if (!FLOAT.matcher(rest[0]).matches()) {
      throw new ParseException(lineNo, "bad value '" + rest[0] + "'");
    }
    if (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches()) {
      throw new ParseException(lineNo, "bad timestamp '" + rest[1] + "'");
    }
    String family = familyOf(name);
    enter(family);
    if (!series.add(name + labels)) {
      throw new ParseException(lineNo, "duplicate series " + name + labels);
    }
    double v =
        rest[0].endsWith("Inf")
            ? (rest[0].startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY)
            : Double.parseDouble(rest[0]);
    samples.computeIfAbsent(family, k -> new ArrayList<>()).add(new Sample(name, labels, v));
  }

  /** The metric a sample belongs to: its own name, or a histogram's or summary's base name. */
  private String familyOf(String name) throws ParseException {
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        String t = type.get(base);
        if ("histogram".equals(t) || ("summary".equals(t) && !suffix.equals("_bucket"))) {
          return base;
        }
      }
    }
    String t = type.get(name);
    if ("histogram".equals(t)) {
      throw new ParseException(lineNo, "histogram " + name + " has no plain samples");
    }
    return name;
  }

  private int labels(String line, int i, Map<String, String> out) throws ParseException {
    while (true) {
      i = skipBlank(line, i);
      if (i < line.length() && line.charAt(i) == '}') {
        return i + 1;
      }
      int start = i;
      while (i < line.length() && " \t=".indexOf(line.charAt(i)) < 0) {
        i++;
      }
      String label = line.substring(start, i);
      if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
        throw new ParseException(lineNo, "bad label name '" + label + "'");
      }
      i = skipBlank(line, i);
      if (i >= line.length() || line.charAt(i) != '=') {
        throw new ParseException(lineNo, "expected '=' after " + label);
      }
      i = skipBlank(line, i + 1);
      if (i >= line.length() || line.charAt(i) != '"') {
        throw new ParseException(lineNo, "expected '\"' for the value of " + label);
      }
      StringBuilder v = new StringBuilder();
      i++;
      while (true) {
        if (i >= line.length()) {
          throw new ParseException(lineNo, "unterminated label value");
        }
        char c = line.charAt(i++);
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (i >= line.length()) {
            throw new ParseException(lineNo, "unterminated escape");
          }
          char e = line.charAt(i++);
          switch (e) {
            case '\\' -> v.append('\\');
            case '"' -> v.append('"');
            case 'n' -> v.append('\n');
            default -> throw new ParseException(lineNo, "bad escape '\\" + e + "' in a label");
          }
        } else {
          v.append(c);
        }
      }
      if (out.put(label, v.toString()) != null) {
        throw new ParseException(lineNo, "label " + label + " given twice");
      }
      i = skipBlank(line, i);
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      } else if (i >= line.length() || line.charAt(i) != '}') {
        throw new ParseException(lineNo, "expected ',' or '}'");
      }
    }
  }

  private static int skipBlank(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /** HELP text knows \\ and \n; other backslashes stand for themselves. */
  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '\\' || s.charAt(i + 1) == 'n')) {
        b.append(s.charAt(++i) == 'n' ? '\n' : '\\');
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
