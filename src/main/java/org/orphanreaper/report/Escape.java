package org.orphanreaper.report;

/**
 * The escape of text lines: the one way the listing, --explain, the history table, stdout and
 * syslog show text that comes from processes and accounts (comm, cmdline, exe, user and group
 * names) and anything that quotes it (reasons, matcher details, notes). Users choose that text:
 * a line feed in it must not forge a line, an escape sequence must not reach a terminal, a bidi
 * override must not make it read backwards.
 *
 * <p>C-style: backslash becomes {@code \\}, line feed {@code \n}, carriage return {@code \r},
 * tab {@code \t}, other ASCII controls and DEL {@code \xHH}, other Unicode controls, format
 * characters (bidi overrides, zero-width), line and paragraph separators and unpaired surrogates
 * {@code \}{@code uHHHH}. Everything else, UTF-8 names included, is written as it is, so ordinary
 * text is unchanged. JSON documents use {@link Json}'s own escaping instead, metrics labels the
 * Prometheus one.
 */
public final class Escape {
  private Escape() {}

  /** For free text lines, where no quote delimits: the listing, --explain, history. */
  public static String text(String s) {
    return escape(s, false);
  }

  /** For a value between double quotes: {@link #text} that also escapes {@code "}. */
  public static String quoted(String s) {
    return escape(s, true);
  }

  /**
   * For the value of a {@code key=value} pair of a syslog line: bare when it needs no escape and
   * has no space or quote (every ordinary user and rule name), else quoted and escaped.
   */
  public static String value(String s) {
    if (!s.isEmpty() && plain(s, true) && s.indexOf(' ') < 0) {
      return s;
    }
    return '"' + escape(s, true) + '"';
  }

  private static String escape(String s, boolean quote) {
    if (plain(s, quote)) { // nearly every name and command line
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '"' -> b.append(quote ? "\\\"" : "\"");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else if (c > 0x7f && hidden(s, i)) {
            b.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Nothing in {@code s} needs escaping: quick for printable ASCII. */
  private static boolean plain(String s, boolean quote) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || (quote && c == '"')
          || (c > 0x7f && hidden(s, i))) {
        return false;
      }
    }
    return true;
  }

  /** A character that would not show as itself, or would change how the text around shows. */
  private static boolean hidden(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
  }
}
