package org.orphanreaper.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.orphanreaper.act.Containment;
import org.orphanreaper.base.Signal;
import org.orphanreaper.sink.syslog.SyslogSettings;

/**
 * One run's settings, as parsed from the command line.
 *
 * @param minUid empty: the rules' min_uid, else UID_MIN of /etc/login.defs
 * @param signal empty: the rules' default signal
 * @param killAfter empty: the rules' default kill_after
 * @param rules empty: /etc/orphan-reaper/rules.yaml, else the built-in defaults
 * @param check validate the rules, print them normalised, exit
 * @param explain the pid whose decision trail to print
 * @param epilogue run as a batch epilogue: lineage scope, every stray killed at once
 * @param accounting where kill mode appends one record per process acted on
 * @param metrics where to write Prometheus metrics of the run, if anywhere
 * @param state where kill mode remembers when families in their grace were first seen
 * @param splay the bound of this node's fixed delay before the scan; zero: none
 * @param containment how kill mode holds a family while it kills it
 */
record Options(
    boolean debug,
    OptionalLong minUid,
    Duration cputime,
    Duration walltime,
    Optional<Signal> signal,
    Optional<Duration> killAfter,
    boolean json,
    Path proc,
    boolean quiet,
    boolean verbose,
    Path lock,
    SyslogSettings syslog,
    boolean timings,
    Optional<Path> rules,
    boolean check,
    OptionalInt explain,
    boolean epilogue,
    Path accounting,
    Optional<Path> metrics,
    Path state,
    Duration splay,
    Containment.Mode containment,
    boolean help,
    boolean version) {

  static final Path LIVE_PROC = Path.of("/proc");
  static final Path DEFAULT_LOCK = Path.of("/run/orphan-reaper.lock");
}
