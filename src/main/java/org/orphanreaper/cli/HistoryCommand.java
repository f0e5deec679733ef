package org.orphanreaper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.help.HelpFormatter;
import org.apache.commons.cli.help.TextHelpAppendable;
import org.orphanreaper.base.DurationSyntax;
import org.orphanreaper.sink.accounting.AccountingException;
import org.orphanreaper.sink.accounting.AccountingReader;

/**
 * {@code orphan-reaper history [--since DUR] [--user U] [--rule R] [--json]}: the accounting file
 * read back and filtered. Returns its exit code like the main command and never throws.
 */
final class HistoryCommand {
  private HistoryCommand() {}

  static final String SYNTAX = "orphan-reaper history";

  /** The parsed arguments. */
  /** @param file --accounting, when given: wins over the caller's default */
  private record Args(HistoryQuery query, boolean json, boolean help, Optional<Path> file) {}

  /**
   * Runs the sub-command on {@code file} (the accounting file; rotated files beside it are read
   * too).
   *
   * @param args the arguments after {@code history}
   */
  public static int run(PrintWriter out, PrintWriter err, Path file, String... args) {
    return run(out, err, file, Clock.systemUTC(), args);
  }

  static int run(PrintWriter out, PrintWriter err, Path file, Clock clock, String... args) {
    try {
      return runOrThrow(out, err, file, clock, args);
    } catch (RuntimeException e) {
      // Never a stack trace: the one line names the bug to report, as the main command's does.
      err.println(SYNTAX + ": internal error: " + e);
      err.flush();
      return ExitCode.UNSAFE;
    }
  }

  private static int runOrThrow(PrintWriter out, PrintWriter err, Path file, Clock clock,
      String... args) {
    Args a;
    try {
      a = parse(clock.instant(), args);
    } catch (UsageException e) {
      err.println(SYNTAX + ": " + e.getMessage());
      err.flush();
      return ExitCode.USAGE;
    }
    if (a.help()) {
      printHelp(out);
      return ExitCode.OK;
    }
    AccountingReader.Skipped skipped;
    try (AccountingReader.Opened files = new AccountingReader(a.file().orElse(file)).open()) {
      History.print(files::forEach, a.query(), a.json(), out);
      skipped = files.skipped();
    } catch (AccountingException e) {
      out.flush();
      err.println(SYNTAX + ": " + e.getMessage());
      err.flush();
      return ExitCode.UNSAFE;
    }
    out.flush();
    if (skipped.corruptLines() > 0) {
      err.println(
          SYNTAX
              + ": skipped "
              + skipped.corruptLines()
              + " corrupt line(s), the first at "
              + skipped.firstCorrupt().orElse("?"));
      err.flush();
    }
    return ExitCode.OK;
  }

  static Options options() {
    Options o = new Options();
    o.addOption(arg("since", "DUR", "only what happened in the last DUR (e.g. 1d, 12h, 90m)"));
    o.addOption(arg("user", "USER", "only processes of USER, a name or a uid"));
    o.addOption(arg("rule", "RULE", "only families the rule RULE decided"));
    o.addOption(arg("accounting", "FILE",
        "the accounting file (default /var/log/orphan-reaper/accounting.jsonl)"));
    o.addOption(Option.builder().longOpt("json").desc("print JSON lines, one per record").get());
    o.addOption(Option.builder("h").longOpt("help").desc("show this help and exit").get());
    return o;
  }

  private static Option arg(String longName, String argName, String desc) {
    return Option.builder().longOpt(longName).hasArg().argName(argName).desc(desc).get();
  }

  private static Args parse(Instant now, String... args) throws UsageException {
    CommandLine c = StrictParser.parse(options(), args);
    Optional<Instant> since = Optional.empty();
    if (c.hasOption("since")) {
      try {
        Duration d = DurationSyntax.parse(c.getOptionValue("since"));
        since = Optional.of(now.minus(d));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--since: " + e.getMessage());
      }
    }
    Optional<String> user = Optional.ofNullable(c.getOptionValue("user"));
    Optional<String> rule = Optional.ofNullable(c.getOptionValue("rule"));
    if (user.filter(String::isBlank).isPresent() || rule.filter(String::isBlank).isPresent()) {
      throw new UsageException("--user and --rule need a non-empty value");
    }
    return new Args(new HistoryQuery(since, user, rule), c.hasOption("json"), c.hasOption("help"),
        Optional.ofNullable(c.getOptionValue("accounting")).map(Path::of));
  }

  static void printHelp(PrintWriter out) {
    try {
      HelpFormatter.builder()
          .setShowSince(false)
          .setHelpAppendable(new TextHelpAppendable(out))
          .get()
          .printHelp(
              SYNTAX,
              "Shows the processes the reaper signalled, from its accounting file (rotated"
                  + " files included), in the order they were written, with a summary line.",
              options(),
              "DUR: 90s, 15m, 2h, 1d, 1h30m, HH:MM:SS, D-HH:MM:SS. Exit codes: 0 done,"
                  + " 2 usage error, 4 the accounting file could not be read (or is not a"
                  + " regular file, or is larger than 1 GiB). A DUR is at most 36500d (100"
                  + " years); an option with a value may be given once.",
              true);
    } catch (IOException e) {
      out.println(SYNTAX);
    }
    out.flush();
  }
}
