package org.orphanreaper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.help.HelpFormatter;
import org.apache.commons.cli.help.TextHelpAppendable;
import org.orphanreaper.act.Containment;
import org.orphanreaper.base.DurationSyntax;
import org.orphanreaper.base.Signal;
import org.orphanreaper.sink.syslog.SyslogSettings;

/** GNU-style options in the spirit of procps-ng's pkill, parsed with Commons CLI. */
final class CommandLine {
  private CommandLine() {}

  static final String SYNTAX = "orphan-reaper";
  private static final Set<String> FACILITIES = Set.of("kern", "user", "mail", "daemon", "auth",
      "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "local0", "local1", "local2",
      "local3", "local4", "local5", "local6", "local7");

  static org.apache.commons.cli.Options options() {
    org.apache.commons.cli.Options o = new org.apache.commons.cli.Options();
    o.addOption(flag("d", "debug", "show what would be killed and why; kill nothing"));
    o.addOption(flag(null, "dry-run", "the same as --debug"));
    o.addOption(arg("r", "rules", "FILE",
        "rules file (default /etc/orphan-reaper/rules.yaml, else the built-in defaults)"));
    o.addOption(Option.builder().longOpt("check").optionalArg(true).numberOfArgs(1)
        .argName("FILE").desc("validate the rules file (default: the one -r or the default"
            + " names), print it normalised and exit 0, or list its errors and exit 2").get());
    o.addOption(arg(null, "explain", "PID",
        "print the decision trail for one process and its family, as a run would decide it"
            + " (grace and circuit breaker included); kill nothing"));
    o.addOption(flag(null, "epilogue",
        "batch epilogue: lineage scope; every stray family that no protect entry or keep rule"
            + " spares is killed at once, KILL within 5s"));
    o.addOption(arg("u", "min-uid", "UID",
        "never touch uids below UID (default: the rules' min_uid, else UID_MIN of"
            + " /etc/login.defs, else 1000)"));
    o.addOption(arg("c", "cputime", "DUR",
        "act on a family only if it used at least DUR of CPU, whatever the rules say"));
    o.addOption(arg("w", "walltime", "DUR",
        "act on a family only if it has run at least DUR, whatever the rules say"));
    o.addOption(arg("k", "signal", "SIG",
        "first signal, by name or number (default: the rules' signal, TERM)"));
    o.addOption(arg(null, "kill-after", "DUR",
        "send KILL to what is left DUR after the first signal (default: the rules'"
            + " kill_after, 10s)"));
    o.addOption(flag(null, "json", "print one JSON document instead of the listing"));
    o.addOption(arg(null, "proc", "DIR", "read processes from DIR instead of /proc (debug only)"));
    o.addOption(flag("q", "quiet", "print nothing but errors in kill mode"));
    o.addOption(flag("v", "verbose", "also list the orphaned families that are kept"));
    o.addOption(arg(null, "lock", "FILE",
        "lock file that keeps runs from overlapping (default /run/orphan-reaper.lock)"));
    o.addOption(arg(null, "syslog-facility", "NAME", "syslog facility (default daemon)"));
    o.addOption(arg(null, "syslog-ident", "NAME", "syslog program name (default orphan-reaper)"));
    o.addOption(arg(null, "syslog-socket", "PATH", "local syslog socket (default /dev/log)"));
    o.addOption(arg(null, "syslog-remote", "HOST:PORT[/tcp]",
        "also send RFC 5424 messages to a central log host, UDP unless /tcp"));
    o.addOption(arg(null, "accounting", "FILE", "kill mode's accounting records, JSON lines"
        + " (default /var/log/orphan-reaper/accounting.jsonl); read them with 'history'"));
    o.addOption(arg(null, "state", "FILE", "where grace periods are remembered between runs"
        + " (default /var/lib/orphan-reaper/grace.state)"));
    o.addOption(arg(null, "metrics", "FILE",
        "write Prometheus metrics of the run to FILE (node_exporter textfile collector)"));
    o.addOption(flag(null, "timings", "print the time each stage took on stderr"));
    o.addOption(arg(null, "splay", "DUR", "wait a delay fixed for this node, within DUR,"
        + " before the scan, so that a cluster's nodes run at different times"));
    o.addOption(arg(null, "containment", "MODE", "how a family is held while it is killed:"
        + " auto (a cgroup v2 of the reaper's own, else the v1 freezer, else SIGSTOP passes),"
        + " cgroup2, freezer or signals (default auto)"));
    o.addOption(flag("h", "help", "show this help and exit"));
    o.addOption(flag("V", "version",
        "show the version and how this node signals (pidfd or kill(2)), then exit"));
    return o;
  }

  private static Option flag(String shortName, String longName, String description) {
    return Option.builder(shortName).longOpt(longName).desc(description).get();
  }

  private static Option arg(String shortName, String longName, String argName, String desc) {
    return Option.builder(shortName).longOpt(longName).hasArg().argName(argName).desc(desc).get();
  }

  static Options parse(String... args) throws UsageException {
    org.apache.commons.cli.CommandLine c = StrictParser.parse(options(), args);
    OptionalLong minUid = OptionalLong.empty();
    if (c.hasOption("min-uid")) {
      minUid = OptionalLong.of(uid(c.getOptionValue("min-uid")));
    }
    Optional<Signal> signal = Optional.empty();
    if (c.hasOption("signal")) {
      String s = c.getOptionValue("signal");
      signal = Optional.of(Signal.parse(s).filter(x -> x != Signal.STOP && x != Signal.CONT)
          .orElseThrow(() -> new UsageException("--signal: unknown or unusable signal '" + s
              + "' (use e.g. TERM, INT, HUP, KILL or a number)")));
    }
    Optional<Path> rules = Optional.ofNullable(c.getOptionValue("rules")).map(Path::of);
    if (c.getOptionValue("check") != null) {
      if (rules.isPresent()) {
        throw new UsageException("give the rules file once: --check FILE or --rules FILE");
      }
      rules = Optional.of(Path.of(c.getOptionValue("check")));
    }
    OptionalInt explain = OptionalInt.empty();
    if (c.hasOption("explain")) {
      String t = c.getOptionValue("explain");
      try {
        explain = OptionalInt.of(Integer.parseInt(t.trim()));
      } catch (NumberFormatException e) {
        explain = OptionalInt.of(-1);
      }
      if (explain.getAsInt() < 1) {
        throw new UsageException("--explain: '" + t + "' is not a pid");
      }
    }
    if (c.hasOption("check") && c.hasOption("explain")) {
      throw new UsageException("--check and --explain do not go together");
    }
    return new Options(
        c.hasOption("debug") || c.hasOption("dry-run"),
        minUid,
        duration(c, "cputime").orElse(Duration.ZERO),
        duration(c, "walltime").orElse(Duration.ZERO),
        signal,
        duration(c, "kill-after"),
        c.hasOption("json"),
        Path.of(c.getOptionValue("proc", Options.LIVE_PROC.toString())),
        c.hasOption("quiet"),
        c.hasOption("verbose"),
        Path.of(c.getOptionValue("lock", Options.DEFAULT_LOCK.toString())),
        syslog(c),
        c.hasOption("timings"),
        rules,
        c.hasOption("check"),
        explain,
        c.hasOption("epilogue"),
        Path.of(c.getOptionValue("accounting",
            org.orphanreaper.sink.accounting.AccountingLog.DEFAULT_FILE.toString())),
        Optional.ofNullable(c.getOptionValue("metrics")).map(Path::of),
        Path.of(c.getOptionValue("state",
            org.orphanreaper.sink.GraceStateFile.DEFAULT.toString())),
        splay(c),
        containment(c),
        c.hasOption("help"),
        c.hasOption("version"));
  }

  private static Containment.Mode containment(org.apache.commons.cli.CommandLine c)
      throws UsageException {
    String v = c.getOptionValue("containment", "auto");
    return Containment.Mode.parse(v).orElseThrow(() -> new UsageException("--containment: '" + v
        + "' is not one of auto, cgroup2, freezer, signals"));
  }

  private static Duration splay(org.apache.commons.cli.CommandLine c) throws UsageException {
    Duration d = duration(c, "splay").orElse(Duration.ZERO);
    if (d.compareTo(Splay.MAX) > 0) {
      throw new UsageException("--splay: " + c.getOptionValue("splay") + " is more than 1d");
    }
    return d;
  }

  /** A uid of 1 or more: unsigned 32-bit, up to 4294967295. */
  private static long uid(String text) throws UsageException {
    try {
      long v = Long.parseLong(text.trim());
      if (v >= 1 && v <= 0xFFFFFFFFL) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new UsageException("--min-uid: '" + text + "' is not a uid of 1 or more");
  }

  private static Optional<Duration> duration(org.apache.commons.cli.CommandLine c, String name)
      throws UsageException {
    if (!c.hasOption(name)) {
      return Optional.empty();
    }
    try {
      return Optional.of(DurationSyntax.parse(c.getOptionValue(name)));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + name + ": " + e.getMessage());
    }
  }

  private static SyslogSettings syslog(org.apache.commons.cli.CommandLine c)
      throws UsageException {
    String facility = c.getOptionValue("syslog-facility", SyslogSettings.DEFAULT_FACILITY)
        .toLowerCase(Locale.ROOT);
    if (!FACILITIES.contains(facility)) {
      throw new UsageException("--syslog-facility: unknown facility '" + facility + "'");
    }
    String ident = c.getOptionValue("syslog-ident", SyslogSettings.DEFAULT_IDENT);
    if (ident.isBlank() || !ident.matches("[\\x21-\\x7e]{1,48}")) {
      throw new UsageException("--syslog-ident: '" + ident + "' must be 1-48 printable characters");
    }
    Path socket = Path.of(c.getOptionValue("syslog-socket",
        SyslogSettings.DEFAULT_SOCKET.toString()));
    Optional<SyslogSettings.Remote> remote = Optional.empty();
    if (c.hasOption("syslog-remote")) {
      remote = Optional.of(remote(c.getOptionValue("syslog-remote")));
    }
    return new SyslogSettings(facility, ident, socket, remote);
  }

  static SyslogSettings.Remote remote(String text) throws UsageException {
    String t = text.trim();
    SyslogSettings.Protocol protocol = SyslogSettings.Protocol.UDP;
    int slash = t.lastIndexOf('/');
    if (slash >= 0) {
      String p = t.substring(slash + 1).toUpperCase(Locale.ROOT);
      if (!p.equals("UDP") && !p.equals("TCP")) {
        throw new UsageException("--syslog-remote: protocol must be udp or tcp, not '"
            + t.substring(slash + 1) + "'");
      }
      protocol = SyslogSettings.Protocol.valueOf(p);
      t = t.substring(0, slash);
    }
    int colon = t.lastIndexOf(':');
    String host = colon < 0 ? t : t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = 514;
    if (colon >= 0) {
      try {
        port = Integer.parseInt(t.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new UsageException("--syslog-remote: '" + text + "' is not HOST:PORT[/udp|/tcp]");
    }
    return new SyslogSettings.Remote(host, port, protocol);
  }

  static void printHelp(PrintWriter out) {
    org.apache.commons.cli.Options options = options();
    java.util.List<Option> order = new java.util.ArrayList<>(options.getOptions());
    try {
      HelpFormatter.builder()
          .setShowSince(false)
          .setHelpAppendable(new TextHelpAppendable(out))
          .setComparator(java.util.Comparator.comparingInt(order::indexOf)) // as declared
          .get()
          .printHelp(SYNTAX,
              "Finds process families orphaned to init (session trees whose roots have PID 1 as"
                  + " parent) of users at or above the minimum uid, and lets a YAML rules file"
                  + " decide what to kill, report or keep. A kill pins the family (a frozen"
                  + " cgroup, else SIGSTOP), sends the first signal, and SIGKILL after"
                  + " kill_after. Needs root unless --debug, --check or --explain.",
              options,
              "DUR: 90s, 15m, 2h, 1d, 1h30m, HH:MM:SS, D-HH:MM:SS. Exit codes: 0 done,"
                  + " 1 a family survived, 2 usage or rules error, or a --lock, --state,"
                  + " --accounting or --metrics that is not a regular file (nothing killed),"
                  + " 3 needs root,"
                  + " 4 system or batch system state unusable (nothing killed but where only Slurm"
                  + " could not judge some families, or the grace state could not be written:"
                  + " those families were left alone; or accounting records or the journal"
                  + " could not be written), 75 another instance is running."
                  + " 'orphan-reaper history [--since DUR] [--user U] [--rule R] [--json]"
                  + " [--accounting FILE]' lists what was killed. A DUR is at most 36500d (100"
                  + " years); an option with a value may be given once. See orphan-reaper(8).",
              true);
    } catch (IOException e) {
      out.println(SYNTAX);
    }
    out.flush();
  }
}
