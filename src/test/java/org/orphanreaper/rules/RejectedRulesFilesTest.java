package org.orphanreaper.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rules files that once came out wrong (a wrapped duration, a missing place, a trace), kept as
 * fixtures: each is rejected with the problem its first line expects, every problem with its
 * place.
 */
class RejectedRulesFilesTest {

  static final Path DIR = Path.of("src/test/resources/rules-rejected");
  private static final String EXPECT = "# expect: ";

  static Stream<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void isRejectedWithItsPlace(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file); // some fixtures are not UTF-8 past their first line
    int end = 0;
    while (end < bytes.length && bytes[end] != '\n') {
      end++;
    }
    String first = new String(bytes, 0, end, StandardCharsets.UTF_8);
    assertThat(first).as("first line of " + file).startsWith(EXPECT);
    RulesException e = catchThrowableOfType(RulesException.class,
        () -> RulesFile.load(Optional.of(file), file, false));
    assertThat(e).as(file + " was accepted").isNotNull();
    assertThat(e.getMessage()).isEqualTo(file + ":" + first.substring(EXPECT.length()));
    List<String> problems = e.problems().stream().map(Problem::toString).toList();
    assertThat(problems).allSatisfy(p ->
        assertThat(p).matches(java.util.regex.Pattern.quote(file.toString()) + ":\\d+:\\d+: .*"));
  }
}
