package org.orphanreaper.cli;

import java.io.PrintWriter;
import java.util.List;
import org.orphanreaper.sink.syslog.EventLog;

/**
 * How a run says what went wrong: each line on stderr and, in kill mode, in syslog at level err
 * (a run from cron has no one reading its stderr). A syslog that cannot take them is said on
 * stderr too.
 */
final class Problems {
  private Problems() {}

  /** {@code lines} on stderr, then, in kill mode, in syslog. */
  static void say(Reaper.Environment env, Options o, PrintWriter err, boolean kill,
      List<String> lines) {
    lines.forEach(l -> err.println("orphan-reaper: " + l));
    log(env, o, err, kill, lines);
  }

  /** {@code lines} in syslog, in kill mode; the caller said them on stderr its own way. */
  static void log(Reaper.Environment env, Options o, PrintWriter err, boolean kill,
      List<String> lines) {
    if (!kill || lines.isEmpty()) {
      return;
    }
    try (EventLog log = env.syslog().apply(o.syslog())) {
      lines.forEach(log::error);
      log.deliveryProblem().ifPresent(err::println);
    }
  }
}
