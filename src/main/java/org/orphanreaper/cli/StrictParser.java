package org.orphanreaper.cli;

import java.util.HashSet;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * How the main command and {@code history} read their arguments: no abbreviated option, no
 * argument that is not an option's, and an option that takes a value given once. Commons CLI
 * keeps every occurrence, and {@code getOptionValue} returns the first: {@code -c 1h -c 2h} ran
 * with 1h and said nothing. No option of either command is a list, so a second value is a
 * mistake (a flag given twice changes nothing, and is let be).
 */
final class StrictParser {
  private StrictParser() {}

  /** {@code args} parsed against {@code options}, or the one-line mistake. */
  static CommandLine parse(Options options, String... args) throws UsageException {
    CommandLine c;
    try {
      c = DefaultParser.builder().setAllowPartialMatching(false).get().parse(options, args);
    } catch (ParseException e) {
      throw new UsageException(e.getMessage());
    }
    if (!c.getArgList().isEmpty()) {
      throw new UsageException("unexpected argument: " + c.getArgList().get(0));
    }
    Set<String> seen = new HashSet<>();
    for (Option o : c.getOptions()) {
      if (o.hasArg() && !seen.add(o.getKey())) {
        throw new UsageException("option --" + o.getLongOpt() + " given twice");
      }
    }
    return c;
  }
}
