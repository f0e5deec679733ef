package org.orphanreaper.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The places found outside SnakeYAML (bad bytes, bad characters) agree with its own marks. */
class PlaceTest {

  @Test
  void linesAndColumnsAreOneBasedInCodePoints() {
    assertThat(Place.of("", 0)).isEqualTo(new Place(1, 1));
    assertThat(Place.of("ab\ncd", 4)).isEqualTo(new Place(2, 2));
    assertThat(Place.of("\uD83D\uDE00\uD83D\uDE00x", 2)).isEqualTo(new Place(1, 3));
    assertThat(Place.of("a\r\nb", 3)).isEqualTo(new Place(2, 1));
    assertThat(Place.of("ab", 99)).isEqualTo(new Place(1, 3)); // the end
  }

  /** Every line break YAML knows, with an emoji ahead of the place on its line. */
  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029"})
  void agreesWithSnakeYamlsMarks(String lineBreak) {
    String text = String.join(lineBreak,
        "aa: 1", "bb: 2", "defaults: {\uD83D\uDE00: 3, cc: 4}", "dd: 5");
    List<String> expected = new ArrayList<>();
    for (String key : List.of("aa", "bb", "cc", "dd")) {
      int at = text.codePointCount(0, text.indexOf(key));
      Place p = Place.of(text, at);
      expected.add("r.yaml:" + p.line() + ":" + p.column() + ": unknown key '" + key + "'");
    }
    List<String> found = new ArrayList<>();
    try {
      RulesParser.parse("r.yaml", text);
    } catch (RulesException e) {
      e.problems().forEach(p -> found.add(p.toString()));
    }
    assertThat(found).as("%s", found).hasSizeGreaterThanOrEqualTo(4);
    for (String e : expected) {
      assertThat(found).anySatisfy(f -> assertThat(f).startsWith(e));
    }
  }
}
