package org.orphanreaper.sink.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonParserTest {

  @Test
  void parsesEveryKindOfValue() throws Exception {
    Object v =
        JsonParser.parse(
            " {\"s\":\"a\\\"b\\\\c\\/\\n\\t\\u00e9\\ud83d\\ude00\",\"n\":-12.5e1,\"i\":0,"
                + "\"t\":true,\"f\":false,\"z\":null,\"l\":[1,[],{}],\"o\":{\"k\":\"v\"}} ");
    assertThat(v).isInstanceOf(Map.class);
    Map<?, ?> m = (Map<?, ?>) v;
    assertThat(m.get("s")).isEqualTo("a\"b\\c/\n\té\uD83D\uDE00");
    assertThat(m.get("n")).isEqualTo(new BigDecimal("-12.5e1"));
    assertThat(m.get("i")).isEqualTo(BigDecimal.ZERO);
    assertThat(m.get("t")).isEqualTo(true);
    assertThat(m.get("f")).isEqualTo(false);
    assertThat(m.containsKey("z")).isTrue();
    assertThat(m.get("z")).isNull();
    assertThat(m.get("l")).isEqualTo(List.of(BigDecimal.ONE, List.of(), Map.of()));
    assertThat(m.get("o")).isEqualTo(Map.of("k", "v"));
    assertThat(List.<Object>copyOf(m.keySet()))
        .containsExactly("s", "n", "i", "t", "f", "z", "l", "o");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"a\":1",
        "{\"a\":1,}",
        "[1,]",
        "{\"a\" 1}",
        "{a:1}",
        "{\"a\":01}",
        "{\"a\":1.}",
        "{\"a\":.5}",
        "{\"a\":+1}",
        "{\"a\":1e}",
        "{\"a\":tru}",
        "{\"a\":\"x}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":\"tab\there\"}",
        "{\"a\":1}{}",
        "{\"a\":1,\"a\":2}",
        "{\"a\":NaN}",
        "'a'",
        "{\"a\":1} x"
      })
  void rejectsWhatIsNotExactlyOneJsonValue(String text) {
    assertThatThrownBy(() -> JsonParser.parse(text))
        .isInstanceOf(JsonParser.MalformedException.class)
        .hasMessageContaining("at column");
  }

  @Test
  void rejectsDeepNestingInsteadOfOverflowingTheStack() {
    char[] open = new char[10_000];
    Arrays.fill(open, '[');
    assertThatThrownBy(() -> JsonParser.parse(new String(open)))
        .isInstanceOf(JsonParser.MalformedException.class)
        .hasMessageContaining("nested deeper");
  }

  @Test
  void saysWhereTheErrorIs() {
    assertThatThrownBy(() -> JsonParser.parse("{\"a\":1 \"b\":2}"))
        .hasMessage("expected ',' or '}' at column 8");
  }
}
