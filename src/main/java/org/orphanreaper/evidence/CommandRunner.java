package org.orphanreaper.evidence;

import java.time.Duration;
import java.util.List;

/** Runs a batch system's client command with a time limit; tests replay captured outputs. */
public interface CommandRunner {

  /** What a command printed and how it ended. */
  record Result(int exit, String stdout, String stderr) {
    /** The first line of stderr, or of stdout when stderr is empty, for messages. */
    public String firstLine() {
      String t = (stderr.isBlank() ? stdout : stderr).strip();
      int nl = t.indexOf('\n');
      return nl < 0 ? t : t.substring(0, nl);
    }
  }

  /**
   * @throws EvidenceUnavailable when it cannot be started or does not end in time (then it was
   *     killed, and what it started with it)
   */
  Result run(List<String> argv, Duration timeout) throws EvidenceUnavailable;

  /**
   * The standard output of a command that must succeed: a failing command is never an empty
   * answer ("no jobs"), it is evidence that cannot be had.
   *
   * @param system prefix of the message, e.g. "slurm"
   */
  default String output(String system, List<String> argv, Duration timeout)
      throws EvidenceUnavailable {
    Result r = run(argv, timeout);
    if (r.exit() != 0) {
      throw new EvidenceUnavailable(system + ": " + shown(argv) + " failed (exit " + r.exit()
          + "): " + r.firstLine());
    }
    return r.stdout();
  }

  /**
   * A command as messages name it: "scontrol listpids", "qconf -sconf", "squeue" (the command
   * and its verb, if any; the options that follow say nothing a reader needs).
   */
  static String shown(List<String> argv) {
    return argv.size() > 1 && !argv.get(1).startsWith("--")
        ? argv.get(0) + " " + argv.get(1) : argv.get(0);
  }

  /** The real thing: stdin closed, output captured, killed with what it started at the limit. */
  CommandRunner LIVE = new LiveRunner();
}
