package org.orphanreaper.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped rules files, damaged at random (a fixed seed per file): each mutant is accepted,
 * or rejected with a RulesException whose every problem is one line that names its place as
 * {@code FILE:LINE:COLUMN: }. Nothing else may escape. The mutants that failed once are kept
 * in src/test/resources/rules-rejected (see RejectedRulesFilesTest).
 */
class RulesFuzzTest {

  /** 300 each in a build; -Drules.fuzz.mutants=N to search deeper by hand. */
  private static final int MUTANTS = Integer.getInteger("rules.fuzz.mutants", 300);

  @TempDir Path dir;

  static Stream<Path> shipped() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("rules"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shipped")
  void everyRejectionNamesItsPlace(Path original) throws Exception {
    byte[] text = Files.readAllBytes(original);
    RulesMutator mutator = new RulesMutator(original.getFileName().toString().hashCode());
    Path file = dir.resolve("mutant.yaml");
    Pattern placed = Pattern.compile(Pattern.quote(file.toString()) + ":\\d+:\\d+: [^\\n]+");
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < MUTANTS; i++) {
      byte[] mutant = mutator.mutate(text);
      Files.write(file, mutant);
      String failure = null;
      try {
        RulesFile.load(Optional.of(file), file, false);
      } catch (RulesException e) {
        for (Problem p : e.problems()) {
          if (!placed.matcher(p.toString()).matches()) {
            failure = "without its place: " + p;
            break;
          }
        }
      } catch (RuntimeException | StackOverflowError e) {
        failure = "threw " + e;
      }
      if (failure != null) {
        Path kept = Path.of("target/rules-fuzz", original.getFileName() + "." + i + ".yaml");
        Files.createDirectories(kept.getParent());
        Files.write(kept, mutant);
        failures.add(kept + ": " + failure.replace(file.toString(), "FILE"));
      }
    }
    assertThat(failures).as(failures.size() + " of " + MUTANTS + " mutants").isEmpty();
  }
}
