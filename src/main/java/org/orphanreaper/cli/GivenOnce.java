package org.orphanreaper.cli;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

/**
 * An option that takes a value may be given once. Commons CLI keeps every occurrence, and {@code
 * getOptionValue} returns the first: {@code -c 1h -c 2h} ran with 1h and said nothing. No option
 * of either command is a list, so a second value is a mistake (a flag given twice changes
 * nothing, and is let be). Shared by the main command and {@code history}, which must not depend
 * on each other.
 */
public final class GivenOnce {
  private GivenOnce() {}

  /** The first option taking a value that was given again, as {@code --name}. */
  public static Optional<String> firstRepeated(CommandLine c) {
    Set<String> seen = new HashSet<>();
    for (Option o : c.getOptions()) {
      if (o.hasArg() && !seen.add(o.getKey())) {
        return Optional.of("--" + o.getLongOpt());
      }
    }
    return Optional.empty();
  }

  /** The one-line usage error for {@code name}. */
  public static String message(String name) {
    return "option " + name + " given twice";
  }
}
