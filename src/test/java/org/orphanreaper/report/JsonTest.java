package org.orphanreaper.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void escapesAndPlacesCommas() {
    String s = new Json().beginObject().field("a", "x\"y\\z\n\u0001").field("n", 3)
        .field("d", 1.5).field("b", true).field("nul", (String) null).beginArray("l")
        .value("p").value("q").endArray().beginArray("o").beginObject().field("k", 1)
        .endObject().beginObject().endObject().endArray().endObject().toString();
    assertThat(s).isEqualTo("{\"a\":\"x\\\"y\\\\z\\n\\u0001\",\"n\":3,\"d\":1.5,\"b\":true,"
        + "\"nul\":null,\"l\":[\"p\",\"q\"],\"o\":[{\"k\":1},{}]}");
  }

  @Test
  void loneSurrogatesAreEscaped() {
    assertThat(new Json().beginObject().field("s", "a\uD800b").endObject().toString())
        .isEqualTo("{\"s\":\"a\\ud800b\"}");
  }
}
