package org.orphanreaper.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.orphanreaper.act.Signal;
import org.orphanreaper.report.SyslogSettings;

/**
 * One run's settings, as parsed from the command line.
 *
 * @param minUid empty: UID_MIN of /etc/login.defs
 */
record Options(
    boolean debug,
    OptionalInt minUid,
    Duration cputime,
    Duration walltime,
    Signal signal,
    Duration killAfter,
    boolean json,
    Path proc,
    boolean quiet,
    boolean verbose,
    Path lock,
    SyslogSettings syslog,
    boolean timings,
    boolean help,
    boolean version) {

  static final Path LIVE_PROC = Path.of("/proc");
  static final Path DEFAULT_LOCK = Path.of("/run/orphan-reaper.lock");
  static final Duration DEFAULT_KILL_AFTER = Duration.ofSeconds(10);
}
