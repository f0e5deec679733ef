package org.orphanreaper.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point: {@code main} only exits with what {@link #run} returns, so tests drive run. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8));
    int code = run(out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs the whole command and returns its exit code; never throws. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    if (args.length > 0 && args[0].equals("history")) {
      return org.orphanreaper.cli.HistoryCommand.run(out, err,
          org.orphanreaper.sink.accounting.AccountingLog.DEFAULT_FILE,
          java.util.Arrays.copyOfRange(args, 1, args.length));
    }
    Options o;
    try {
      o = CommandLine.parse(args);
    } catch (UsageException e) {
      err.println("orphan-reaper: " + e.getMessage());
      err.println("Try 'orphan-reaper --help' for more information.");
      err.flush();
      return ExitCode.USAGE;
    }
    if (o.help()) {
      CommandLine.printHelp(out);
      return ExitCode.OK;
    }
    if (o.version()) {
      out.println("orphan-reaper " + version());
      // Told without binding any native code: see SignallingPath.
      out.println("signalling: " + org.orphanreaper.act.SignallingPath.ofThisNode());
      out.flush();
      return ExitCode.OK;
    }
    try {
      return new Reaper(Reaper.Environment.live()).run(o, out, err);
    } catch (RuntimeException | Error e) {
      // Never a stack trace in cron mail; the one line names the bug to report.
      err.println("orphan-reaper: internal error: " + e);
      err.flush();
      return ExitCode.UNSAFE;
    } finally {
      out.flush();
      err.flush();
    }
  }

  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
