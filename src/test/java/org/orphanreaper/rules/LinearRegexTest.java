package org.orphanreaper.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Random;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What makes compiling linear is structural: the JDK builds its quadratic Boyer-Moore table only
 * for a pattern whose first node is a literal, and every rules regex is compiled behind a guard
 * that is not one. The rest is that the guard changes nothing, checked against the bare regex.
 */
class LinearRegexTest {

  @ParameterizedTest
  @ValueSource(strings = {"sshd", "^globus-job-manager$", "*a", "{2}abc"})
  void everyRegexIsCompiledBehindTheGuardAndShownAsWritten(String text) {
    try {
      LinearRegex re = LinearRegex.compile(text);
      assertThat(re.pattern().pattern()).isEqualTo("(?:)(?-)" + text);
      assertThat(re.text()).isEqualTo(text).isEqualTo(re.toString());
    } catch (PatternSyntaxException e) {
      assertThat(text).isEqualTo("*a"); // dangles, as it would alone
    }
  }

  @Test
  void aGlobIsCompiledBehindTheGuardToo() {
    assertThat(Glob.of("/usr/bin/python3.11").regex().pattern().pattern()).startsWith("(?:)(?-)");
  }

  @Test
  void syntaxErrorsAreAtTheirPlaceInTheTextAsWritten() {
    PatternSyntaxException e = catchThrowableOfType(PatternSyntaxException.class,
        () -> LinearRegex.compile("^(sshd"));
    assertThat(e.getIndex()).isEqualTo(6);
    assertThat(e.getPattern()).isEqualTo("^(sshd");
    assertThat(e.getDescription()).isEqualTo("Unclosed group");
    assertThat(catchThrowableOfType(PatternSyntaxException.class,
        () -> LinearRegex.compile(")")).getIndex()).isEqualTo(-1);
  }

  /**
   * Where the first match is, or which exception the JDK threw: some classes such as {@code
   * [(?-i)&&]} compile, then throw a NullPointerException when matched, guarded or not.
   */
  private static String found(Pattern p, String s) {
    try {
      java.util.regex.Matcher m = p.matcher(s);
      return m.find() ? m.start() + "-" + m.end() : "none";
    } catch (RuntimeException e) {
      return e.getClass().getName();
    }
  }

  private static final String[] ATOMS = {"a", "b", "*", "+", "?", "{", "}", "{2}", "{1,3}", "(",
      ")", "(?:", "(?i)", "(?x)", "(?-i)", "[", "]", "^", "$", "|", "\\", "\\Q", "\\E", ".", "\\1",
      "(?=", "(?!", "(?<=", "\\b", "\\G", " ", "#", "\n", "-", "&&", "\\d", "(?<n>", "\\k<n>",
      "(?>", "*+", "??"};
  private static final String[] TEXTS = {"", "a", "ab", "aab", "ba", "{2}", "A b", "abab ba",
      "a\nb", "*a", "))"};

  /**
   * Random regexes of the syntax's corner pieces (a quantifier first, inline flags, quoting,
   * back references, groups left open): guarded or bare, each is valid or not alike, with the
   * same error at the same place, and finds the same matches.
   */
  @Test
  void theGuardChangesNothing() {
    Random random = new Random(18);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      for (int n = 1 + random.nextInt(6); n > 0; n--) {
        b.append(ATOMS[random.nextInt(ATOMS.length)]);
      }
      String text = b.toString();
      Pattern bare;
      try {
        bare = Pattern.compile(text);
      } catch (PatternSyntaxException e) {
        PatternSyntaxException guarded = catchThrowableOfType(PatternSyntaxException.class,
            () -> LinearRegex.compile(text));
        assertThat(guarded).as(text).isNotNull();
        assertThat(guarded.getDescription()).as(text).isEqualTo(e.getDescription());
        assertThat(guarded.getIndex()).as(text).isEqualTo(e.getIndex());
        continue;
      }
      Pattern guarded = LinearRegex.compile(text).pattern();
      for (String t : TEXTS) {
        assertThat(found(guarded, t)).as(text + " in " + t).isEqualTo(found(bare, t));
      }
      assertThat(guarded.matcher("").groupCount()).as(text)
          .isEqualTo(bare.matcher("").groupCount());
    }
  }
}
