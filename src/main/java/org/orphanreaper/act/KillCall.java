package org.orphanreaper.act;

/** The kill(2) system call, returning 0 or minus errno; an interface so tests can fake errno. */
interface KillCall {

  /** {@code kill(pid, signal)}: 0, or minus errno. */
  int kill(int pid, int signal);
}
