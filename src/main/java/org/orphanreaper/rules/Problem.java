package org.orphanreaper.rules;

/**
 * One error in a rules file, printed the way compilers print them so that editors can jump to it.
 *
 * @param line 1-based; 0 when the problem is the file as a whole
 * @param column 1-based; 0 when it has none
 */
public record Problem(String file, int line, int column, String message) {

  /**
   * Messages quote the file's own text, which may hold line breaks and control characters: each
   * is written as a C-style escape (a line feed as backslash-n, ESC as backslash-x1b), so that a
   * problem stays the one line that editors, stderr and syslog expect.
   */
  public Problem {
    message = oneLine(message);
  }

  private static String oneLine(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      int named = "\n\r\t".indexOf(c);
      int type = Character.getType(c);
      if (named >= 0) {
        b.append('\\').append("nrt".charAt(named));
      } else if (Character.isISOControl(c) || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR) {
        b.append(String.format(c < 0x100 ? "\\x%02x" : "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    if (line <= 0) {
      return file + ": " + message;
    }
    return file + ":" + line + ":" + column + ": " + message;
  }
}
