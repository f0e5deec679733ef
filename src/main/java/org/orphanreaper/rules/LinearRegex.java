package org.orphanreaper.rules;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regex of the rules file (as written, or made from a glob), compiled in time linear in its
 * length.
 *
 * <p>java.util.regex builds a Boyer-Moore table for a pattern whose first node is a literal, in
 * time quadratic in the literal's length (Pattern.BnM.optimize): a 250 KB regex of one letter
 * took 14 s to compile in {@code --check}. Compiled behind {@link #GUARD}, the pattern's first
 * node is a group instead, and no table is built. The guard changes nothing else: {@code (?:)} is
 * an empty group that captures nothing, and {@code (?-)} a flag group that sets and clears no
 * flag, which ends the empty group's reach so that a quantifier at the start of the text still
 * dangles as it would alone. Finding the literal position by position instead costs no more than
 * the text searched: a command name or an argv of at most a few KiB.
 *
 * @param text the regex as given, which is what {@code --check} and the decision trail show
 */
public record LinearRegex(String text, Pattern pattern) {

  static final String GUARD = "(?:)(?-)";

  /** Compiles {@code text}; a syntax error's index is its place in {@code text}. */
  static LinearRegex compile(String text) {
    try {
      return new LinearRegex(text, Pattern.compile(GUARD + text));
    } catch (PatternSyntaxException e) {
      int index = e.getIndex() - GUARD.length();
      throw new PatternSyntaxException(e.getDescription(), text, index < 0 ? -1 : index);
    }
  }

  /** Whether the regex occurs in {@code s}. */
  boolean find(CharSequence s) {
    return pattern.matcher(s).find();
  }

  /** Whether the regex matches the whole of {@code s}. */
  boolean matches(CharSequence s) {
    return pattern.matcher(s).matches();
  }

  @Override
  public String toString() {
    return text;
  }
}
