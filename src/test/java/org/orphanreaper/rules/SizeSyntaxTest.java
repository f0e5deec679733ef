package org.orphanreaper.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.orphanreaper.base.SizeSyntax;

class SizeSyntaxTest {

  @ParameterizedTest
  @CsvSource({"4096, 4096", "512K, 524288", "1.5G, 1610612736", "2TiB, 2199023255552",
      "1048576T, 1152921504606846976"})
  void parses(String text, long bytes) {
    assertThat(SizeSyntax.parse(text)).isEqualTo(bytes);
  }

  /** Sizes are summed over a family's members: the bound (2^60) leaves a long room for that. */
  @ParameterizedTest
  @ValueSource(strings = {"1048577T", "1152921504606846977", "9223372036854775808",
      "99999999999999999999999999T", "340282366920938463463374607431768211456"})
  void rejectsWhatIsOutOfRange(String text) {
    assertThatThrownBy(() -> SizeSyntax.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("size '" + text + "' is out of range: at most 1048576T");
  }
}
