package org.orphanreaper;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a test bed was set up by src/test/testbeds/setup (which the README's test command runs
 * before the tests): it writes target/testbeds/BED, "ready" or why not.
 */
public final class TestBeds {
  private TestBeds() {}

  private static final Path STATUS = Path.of("target/testbeds");

  /**
   * Returns when {@code bed} is ready; else skips the calling test with the reason, or fails it
   * under CI=true, so that CI never goes green without the scenarios it is meant to run.
   */
  public static void require(String bed) {
    String why;
    try {
      why = Files.readString(STATUS.resolve(bed), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      why = "not set up (no " + STATUS.resolve(bed) + ": run the tests with 'mvn verify', whose"
          + " set-up writes it)";
    }
    if (why.equals("ready")) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("test bed " + bed + ": " + why + " (CI=true: a bed that cannot be set up fails)");
    }
    assumeTrue(false, "test bed " + bed + ": " + why + "; skipped");
  }
}
