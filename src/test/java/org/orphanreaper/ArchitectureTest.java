package org.orphanreaper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of src/main depend only downward, in pipeline order: a class may name classes of
 * its own package and of the packages before it in {@link #LAYERS}, never of one after it. A
 * sub-package belongs to the layer of its top package. References are found in imports and in
 * fully qualified names alike.
 */
class ArchitectureTest {

  /** The pipeline, bottom first. */
  static final List<String> LAYERS = List.of(
      "base", "nativestub", "proc", "tree", "evidence", "rules", "plan", "act", "report", "sink",
      "cli");

  private static final Pattern REFERENCE =
      Pattern.compile("org\\.orphanreaper\\.((?:[a-z]\\w*\\.)*)([A-Z]\\w*)");

  @Test
  void everyPackageIsALayerOfThePipeline() throws IOException {
    assertThat(packagesOf(main())).allSatisfy(p -> assertThat(LAYERS).contains(top(p)));
  }

  @Test
  void packagesDependOnlyDownward() throws IOException {
    Map<String, TreeSet<String>> upward = new TreeMap<>();
    for (Reference r : references()) {
      if (LAYERS.indexOf(top(r.to())) > LAYERS.indexOf(top(r.from()))) {
        upward.computeIfAbsent(r.from() + " -> " + r.to(), k -> new TreeSet<>())
            .add(r.file() + " names " + r.name());
      }
    }
    assertThat(upward).as("references against the pipeline order").isEmpty();
  }

  /** And no two packages name each other, directly or through others (sub-packages included). */
  @Test
  void packagesFormNoCycle() throws IOException {
    Map<String, TreeSet<String>> uses = new TreeMap<>();
    for (Reference r : references()) {
      uses.computeIfAbsent(r.from(), k -> new TreeSet<>()).add(r.to());
    }
    List<String> cycles = new ArrayList<>();
    for (String start : uses.keySet()) {
      // a path from start's dependencies back to start is a cycle through start
      List<String> path = pathBack(uses, start, start, new TreeSet<>());
      if (path != null) {
        cycles.add(start + " -> " + String.join(" -> ", path));
      }
    }
    assertThat(cycles).as("package cycles").isEmpty();
  }

  /** A path of uses from {@code at} to {@code target}, or null. */
  private static List<String> pathBack(Map<String, TreeSet<String>> uses, String at,
      String target, TreeSet<String> seen) {
    for (String next : uses.getOrDefault(at, new TreeSet<>())) {
      if (next.equals(target)) {
        return new ArrayList<>(List.of(next));
      }
      if (seen.add(next)) {
        List<String> rest = pathBack(uses, next, target, seen);
        if (rest != null) {
          rest.add(0, next);
          return rest;
        }
      }
    }
    return null;
  }

  /** A class of package {@code from} names class {@code name} of another package, {@code to}. */
  private record Reference(String from, String file, String to, String name) {}

  private static List<Reference> references() throws IOException {
    List<Reference> out = new ArrayList<>();
    for (Path file : javaFiles(main())) {
      String from = packageOf(main(), file);
      Matcher m = REFERENCE.matcher(Files.readString(file));
      while (m.find()) {
        String to = m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1);
        if (!to.isEmpty() && !to.equals(from)) {
          out.add(new Reference(from, file.getFileName().toString(), to, m.group(2)));
        }
      }
    }
    return out;
  }

  private static Path main() {
    return Path.of("src/main/java/org/orphanreaper");
  }

  private static String top(String pkg) {
    int dot = pkg.indexOf('.');
    return dot < 0 ? pkg : pkg.substring(0, dot);
  }

  private static String packageOf(Path root, Path file) {
    return root.relativize(file.getParent()).toString().replace('/', '.');
  }

  private static List<String> packagesOf(Path root) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path f : javaFiles(root)) {
      String p = packageOf(root, f);
      if (!p.isEmpty() && !out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  private static List<Path> javaFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }
}
