package org.orphanreaper.rules;

/**
 * One error in a rules file, printed the way compilers print them so that editors can jump to it.
 *
 * @param line 1-based; 0 when the problem is the file as a whole
 * @param column 1-based; 0 when it has none
 */
public record Problem(String file, int line, int column, String message) {

  @Override
  public String toString() {
    if (line <= 0) {
      return file + ": " + message;
    }
    return file + ":" + line + ":" + column + ": " + message;
  }
}
