package org.orphanreaper.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationSyntaxTest {

  @ParameterizedTest
  @CsvSource({
    "90s, 90", "15m, 900", "2h, 7200", "1d, 86400", "1w, 604800", "1h30m, 5400", "90, 90",
    "0, 0", "05:30, 330", "01:02:03, 3723", "2-03:04:05, 183845", "1d2h3m4s, 93784",
    "' 10m ', 600"
  })
  void parses(String text, long seconds) {
    assertThat(DurationSyntax.parse(text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "10x", "-5m", "1:60", "1-25:00:00", "1-05:00", "h", "1.5h",
      "99999999999999999999d", "1 h"})
  void rejects(String text) {
    assertThatThrownBy(() -> DurationSyntax.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid duration")
        .hasMessageNotContaining("\n");
  }
}
