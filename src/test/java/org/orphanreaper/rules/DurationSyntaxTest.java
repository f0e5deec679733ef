package org.orphanreaper.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.orphanreaper.base.DurationSyntax;

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
      "1 h"})
  void rejects(String text) {
    assertThatThrownBy(() -> DurationSyntax.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid duration")
        .hasMessageNotContaining("\n");
  }

  /** The longest duration accepted, to the second: 100 years of 365 days. */
  @ParameterizedTest
  @CsvSource({"36500d, 0", "5214w2d, 0", "3153600000, 0", "876000:00:00, 0",
      "36499-23:59:59, 1"})
  void acceptsUpToTheMaximum(String text, long secondsShort) {
    assertThat(DurationSyntax.parse(text)).isEqualTo(Duration.ofDays(36500).minusSeconds(secondsShort));
  }

  /**
   * Past the maximum in every form. The first two are the fuzzer's, which wrapped around 2^63 into
   * -16s and 17h; the digits of the next ones do not fit a long at all.
   */
  @ParameterizedTest
  @ValueSource(strings = {"5124095576030431:00:00", "213503982334602-00:00:00", "36500d1s",
      "3153600001", "99999999999999999999", "99999999999999999999d", "9223372036854775807s",
      "1537228672809129301s", "876000:00:01", "36500-00:00:01", "15250285w1d",
      "1w99999999999999999999s"})
  void rejectsWhatIsOutOfRange(String text) {
    assertThatThrownBy(() -> DurationSyntax.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duration '" + text + "' is out of range: at most 36500d (100 years)");
  }
}
