package org.orphanreaper.rules;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A shell-style glob for paths and names: {@code *} matches within one path component,
 * {@code **} across components, {@code ?} one character, {@code [a-z]} a class. Everything else
 * is literal, so a dot in {@code /usr/bin/python3.11} means a dot.
 */
public record Glob(String text, LinearRegex regex) {

  /** Compiles {@code text}; an unclosed {@code [} is an IllegalArgumentException. */
  public static Glob of(String text) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '*') {
        boolean twice = i + 1 < text.length() && text.charAt(i + 1) == '*';
        re.append(twice ? ".*" : "[^/]*");
        i += twice ? 2 : 1;
        continue;
      }
      if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int close = text.indexOf(']', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed '[' at character " + (i + 1)
              + " of glob '" + text + "'");
        }
        String body = text.substring(i + 1, close);
        if (body.startsWith("!")) {
          body = "^" + body.substring(1);
        }
        re.append('[').append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
        i = close;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
      i++;
    }
    try {
      return new Glob(text, LinearRegex.compile(re.toString()));
    } catch (PatternSyntaxException e) {
      // in the glob's terms: the regex it became is nothing the admin wrote
      throw new IllegalArgumentException("glob '" + text + "': " + e.getDescription());
    }
  }

  public boolean matches(String s) {
    return regex.matches(s);
  }

  @Override
  public String toString() {
    return text;
  }
}
