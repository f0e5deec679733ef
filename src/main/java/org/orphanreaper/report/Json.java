package org.orphanreaper.report;

import java.time.Duration;

/**
 * A minimal streaming JSON writer: enough for the reports, without a JSON library in a tool that
 * must start fast. Callers open and close objects and arrays; commas are placed automatically.
 * Member names are the callers' own literals (plain ASCII) and are written as they are; values
 * are escaped.
 */
public final class Json {
  private final StringBuilder out = new StringBuilder();
  private boolean needComma;

  public Json beginObject() {
    comma();
    out.append('{');
    needComma = false;
    return this;
  }

  public Json endObject() {
    out.append('}');
    needComma = true;
    return this;
  }

  public Json beginArray(String name) {
    key(name);
    out.append('[');
    needComma = false;
    return this;
  }

  public Json endArray() {
    out.append(']');
    needComma = true;
    return this;
  }

  public Json field(String name, String value) {
    key(name);
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    needComma = true;
    return this;
  }

  public Json field(String name, long value) {
    key(name);
    out.append(value);
    needComma = true;
    return this;
  }

  /**
   * A duration as seconds with millisecond precision, e.g. {@code 5.73}, {@code 0.005} or
   * {@code 7200.0}: written digit by digit rather than through a double, whose toString is slow
   * on a cold JVM (the report writes two a process) and turns to {@code 1.0E7} after 116 days.
   */
  public Json seconds(String name, Duration d) {
    key(name);
    long ms = d.toMillis();
    if (ms < 0) {
      out.append('-');
      ms = -ms;
    }
    out.append(ms / 1000).append('.');
    int frac = (int) (ms % 1000);
    if (frac == 0) {
      out.append('0');
    } else {
      out.append((char) ('0' + frac / 100));
      frac %= 100;
      if (frac != 0) {
        out.append((char) ('0' + frac / 10));
        if (frac % 10 != 0) {
          out.append((char) ('0' + frac % 10));
        }
      }
    }
    needComma = true;
    return this;
  }

  public Json field(String name, boolean value) {
    key(name);
    out.append(value);
    needComma = true;
    return this;
  }

  /** A bare string element inside an array. */
  public Json value(String value) {
    comma();
    string(value);
    needComma = true;
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private void key(String name) {
    comma();
    out.append('"').append(name).append("\":");
    needComma = false;
  }

  private void comma() {
    if (needComma) {
      out.append(',');
    }
  }

  private void string(String s) {
    out.append('"');
    if (plain(s)) { // nearly every name and command line: appended whole
      out.append(s).append('"');
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || (c >= 0xD800 && c <= 0xDFFF && !validSurrogate(s, i))) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Nothing in {@code s} needs escaping: printable ASCII other than quote and backslash. */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
