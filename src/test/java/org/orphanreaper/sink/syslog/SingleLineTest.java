package org.orphanreaper.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SingleLineTest {

  @Test
  void foldsEveryLineBreakIntoASpace() {
    assertThat(SingleLine.of("a\nb\r\nc\rd\n")).isEqualTo("a b  c d ");
  }

  @Test
  void foldsNul() {
    assertThat(SingleLine.of("a\0b")).isEqualTo("a b");
  }

  @Test
  void keepsOrdinaryTextAndTabs() {
    assertThat(SingleLine.of("uid 1000\tpid {} 100%")).isEqualTo("uid 1000\tpid {} 100%");
  }

  @Test
  void nullBecomesEmpty() {
    assertThat(SingleLine.of(null)).isEmpty();
  }

  @Test
  void capsAsciiAtMaxBytes() {
    String line = SingleLine.of("x".repeat(5000));

    assertThat(line).hasSize(SingleLine.MAX_BYTES);
  }

  @Test
  void leavesTextAtTheLimitAlone() {
    String exact = "y".repeat(SingleLine.MAX_BYTES);

    assertThat(SingleLine.of(exact)).isEqualTo(exact);
  }

  @Test
  void neverSplitsAMultiByteCharacter() {
    // 3 bytes each: 4000 is not a multiple of 3, so the cut must fall before a character.
    String line = SingleLine.of("\u20ac".repeat(2000));

    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    assertThat(bytes.length).isLessThanOrEqualTo(SingleLine.MAX_BYTES).isGreaterThan(3990);
    assertThat(line).matches("\u20ac+");
  }

  @Test
  void neverSplitsASurrogatePair() {
    String line = SingleLine.of("a" + "\uD83D\uDE00".repeat(1500));

    assertThat(line.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(SingleLine.MAX_BYTES);
    assertThat(Character.isHighSurrogate(line.charAt(line.length() - 1))).isFalse();
  }
}
