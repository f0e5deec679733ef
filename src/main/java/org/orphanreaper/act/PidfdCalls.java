package org.orphanreaper.act;

/**
 * The pidfd system calls, each returning its result or minus errno like the raw kernel ABI.
 *
 * <p>An interface so that errno handling can be tested with fakes; {@link NativePidfdCalls} is the
 * real one.
 */
interface PidfdCalls {

  /** {@code pidfd_open(pid, 0)}: a new pidfd, or minus errno. */
  int open(int pid);

  /** {@code pidfd_send_signal(pidfd, signal, NULL, 0)}: 0, or minus errno. */
  int sendSignal(int pidfd, int signal);

  /** {@code close(fd)}; a failure is ignored because nothing useful can follow it. */
  void close(int fd);
}
