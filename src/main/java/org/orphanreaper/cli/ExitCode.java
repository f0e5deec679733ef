package org.orphanreaper.cli;

/** The documented exit codes; cron and configuration management act on them. */
public final class ExitCode {
  private ExitCode() {}

  /** Done, including "nothing found". */
  public static final int OK = 0;
  /** Some family survived SIGKILL. */
  public static final int SURVIVORS = 1;
  /** Usage or configuration error: nothing was scanned or killed. */
  public static final int USAGE = 2;
  /** Kill mode needs root. */
  public static final int NEEDS_ROOT = 3;
  /** The system could not be read or trusted (procfs, lock): nothing was killed. */
  public static final int UNSAFE = 4;
  /** Another instance holds the lock (EX_TEMPFAIL). */
  public static final int LOCKED = 75;
}
