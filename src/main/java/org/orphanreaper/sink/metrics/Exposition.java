package org.orphanreaper.sink.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A writer of the Prometheus text exposition format (version 0.0.4): HELP and TYPE lines, then the
 * samples of that metric, every line ending in a line feed.
 */
final class Exposition {
  private final StringBuilder out = new StringBuilder();

  /** Starts a metric; its samples must follow before the next one starts. */
  Exposition metric(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** A gauge with one sample and no labels. */
  Exposition gauge(String name, String help, String value) {
    return metric(name, "gauge", help).sample(name, value);
  }

  Exposition sample(String name, String value) {
    return sample(name, Map.of(), value);
  }

  /** One sample; labels in the order of {@code labels} (use a LinkedHashMap for order). */
  Exposition sample(String name, Map<String, String> labels, String value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{');
      String sep = "";
      for (Map.Entry<String, String> l : labels.entrySet()) {
        out.append(sep)
            .append(l.getKey())
            .append("=\"")
            .append(escapeLabel(l.getValue()))
            .append('"');
        sep = ",";
      }
      out.append('}');
    }
    out.append(' ').append(value).append('\n');
    return this;
  }

  static Map<String, String> labels(String... nameValue) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < nameValue.length; i += 2) {
      m.put(nameValue[i], nameValue[i + 1]);
    }
    return m;
  }

  /** Label values escape backslash, double quote and line feed. */
  static String escapeLabel(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** HELP text escapes backslash and line feed only. */
  static String escapeHelp(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n");
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
