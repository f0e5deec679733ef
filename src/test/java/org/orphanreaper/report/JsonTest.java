package org.orphanreaper.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void escapesAndPlacesCommas() {
    String s = new Json().beginObject().field("a", "x\"y\\z\n\u0001").field("n", 3)
        .seconds("d", java.time.Duration.ofMillis(1500)).field("b", true).field("nul", (String) null).beginArray("l")
        .value("p").value("q").endArray().beginArray("o").beginObject().field("k", 1)
        .endObject().beginObject().endObject().endArray().endObject().toString();
    assertThat(s).isEqualTo("{\"a\":\"x\\\"y\\\\z\\n\\u0001\",\"n\":3,\"d\":1.5,\"b\":true,"
        + "\"nul\":null,\"l\":[\"p\",\"q\"],\"o\":[{\"k\":1},{}]}");
  }

  @Test
  void durationsAreSecondsWithTheDigitsADoubleWouldPrint() {
    for (long ms : new long[] {0, 1, 5, 10, 50, 100, 730, 999, 1000, 5730, 7_200_000, 9_999_999_999L,
        86_400_123}) {
      String s = new Json().beginObject().seconds("s", java.time.Duration.ofMillis(ms)).endObject()
          .toString();
      String number = s.substring(5, s.length() - 1);
      assertThat(new java.math.BigDecimal(number)).isEqualByComparingTo(
          java.math.BigDecimal.valueOf(ms, 3));
      if (ms < 10_000_000_000L) { // below 1e7 s, where Double.toString still writes plain digits
        assertThat(number).isEqualTo(Double.toString(ms / 1000.0));
      }
    }
  }

  @Test
  void loneSurrogatesAreEscaped() {
    assertThat(new Json().beginObject().field("s", "a\uD800b").endObject().toString())
        .isEqualTo("{\"s\":\"a\\ud800b\"}");
  }
}
