package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.commons.cli.Option;
import org.junit.jupiter.api.Test;

/** The man page renders without warnings, and it and the README name every option --help does. */
class ManPageTest {

  private static final Path PAGE = Path.of("man/orphan-reaper.8");

  @Test
  void rendersWithoutWarnings() throws Exception {
    Process p = new ProcessBuilder("groff", "-man", "-ww", "-Tutf8", PAGE.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String warnings = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(warnings).isEmpty();
  }

  @Test
  void everyOptionOfHelpIsDocumented() throws Exception {
    String page = Files.readString(PAGE);
    String readme = Files.readString(Path.of("README.md"));
    for (Option o : CommandLine.options().getOptions()) {
      String name = o.getLongOpt();
      // a tagged line of OPTIONS: .B or .BR naming it, e.g. .BR \-d ", " \-\-debug
      String escaped = java.util.regex.Pattern.quote("\\-\\-" + name.replace("-", "\\-"));
      assertThat(page).as("man page documents --" + name)
          .containsPattern("(?m)^\\.BR? .*" + escaped + "(\\s|\"|$)");
      assertThat(readme).as("README documents --" + name).contains("`--" + name);
      if (o.getOpt() != null) {
        assertThat(page).as("man page documents -" + o.getOpt())
            .containsPattern("(?m)^\\.BR \\\\-" + o.getOpt() + " \", \" "
                + escaped);
      }
    }
  }
}
