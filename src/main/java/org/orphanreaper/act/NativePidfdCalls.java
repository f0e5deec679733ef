package org.orphanreaper.act;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/** The pidfd system calls through glibc (2.36 or later exports them), via jnr-ffi. */
final class NativePidfdCalls implements PidfdCalls {

  /**
   * The libc functions jnr-posix lacks. Public only because jnr-ffi's generated class must be able
   * to implement it; the enclosing class keeps it out of the package's API.
   */
  public interface LibC {
    @SaveError
    int pidfd_open(int pid, int flags);

    @SaveError
    int pidfd_send_signal(int pidfd, int sig, Pointer info, int flags);

    @SaveError
    int close(int fd);
  }

  private final LibC libc;
  private final Runtime runtime;

  private NativePidfdCalls(LibC libc) {
    this.libc = libc;
    this.runtime = Runtime.getRuntime(libc);
  }

  /**
   * Binds libc. Costs ~160-350 ms in a fresh JVM, so only {@link Signallers} calls it, and only
   * when something is to be signalled.
   *
   * <p>With a glibc older than 2.36 binding succeeds but each call throws {@link
   * UnsatisfiedLinkError}.
   */
  static NativePidfdCalls load() {
    LibC libc =
        LibraryLoader.create(LibC.class)
            .option(LibraryOption.SaveError, Boolean.TRUE)
            .load(Platform.getNativePlatform().getStandardCLibraryName());
    return new NativePidfdCalls(libc);
  }

  @Override
  public int open(int pid) {
    int fd = libc.pidfd_open(pid, 0);
    return fd >= 0 ? fd : minusErrno();
  }

  @Override
  public int sendSignal(int pidfd, int signal) {
    int rc = libc.pidfd_send_signal(pidfd, signal, null, 0);
    return rc == 0 ? 0 : minusErrno();
  }

  @Override
  public void close(int fd) {
    libc.close(fd);
  }

  // errno is saved per thread by jnr-ffi right after the call (SaveError); it must be read on the
  // same thread before any other native call. A failure without errno must still read as one.
  private int minusErrno() {
    int errno = LastError.getLastError(runtime);
    return errno > 0 ? -errno : Integer.MIN_VALUE;
  }
}
