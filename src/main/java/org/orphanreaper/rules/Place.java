package org.orphanreaper.rules;

/**
 * A line and column of a rules file, 1-based, counted as SnakeYAML counts its own marks (columns
 * in code points; line breaks LF, CR not followed by LF, NEL, LS and PS), so that the problems
 * found before SnakeYAML, by it and after it place alike. Counted once per problem, from the
 * start: linear in the text, and there are few problems.
 */
record Place(int line, int column) {

  /** Where the code point at {@code index} (0-based; the text's length for its end) is. */
  static Place of(CharSequence text, int index) {
    int line = 1;
    int column = 1;
    int codePoints = 0;
    for (int i = 0; i < text.length() && codePoints < index; codePoints++) {
      int c = Character.codePointAt(text, i);
      i += Character.charCount(c);
      boolean crlf = c == '\r' && i < text.length() && text.charAt(i) == '\n';
      if (c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029' || (c == '\r' && !crlf)) {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new Place(line, column);
  }
}
