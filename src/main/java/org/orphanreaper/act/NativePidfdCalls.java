package org.orphanreaper.act;

import java.util.Objects;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.SaveError;

/**
 * The pidfd system calls by number through libc's {@code syscall(2)}, via jnr-ffi.
 *
 * <p>Not through glibc's {@code pidfd_open}/{@code pidfd_send_signal} wrappers: those exist only
 * from glibc 2.36, so on RHEL/Rocky/Alma 9 (2.34) and Ubuntu 22.04 (2.35) every call threw
 * UnsatisfiedLinkError and the node fell back to kill(2) although its kernel had pidfd.
 * {@code syscall} has been exported by every glibc (and musl) for decades.
 */
final class NativePidfdCalls implements PidfdCalls {

  /**
   * The libc functions used. Public only because jnr-ffi's generated class must be able to
   * implement it; the enclosing class keeps it out of the package's API.
   *
   * <p>{@code long syscall(long number, ...)} is variadic and jnr-ffi cannot call variadic
   * functions, so it is declared here once per arity, as if it had fixed parameters. That is sound
   * on the three ABIs this is used on, because each passes the integer arguments of a variadic call
   * exactly as those of a prototyped one: in order in the integer registers (x86_64 SysV: rdi, rsi,
   * rdx, rcx, r8, r9, with %al, which libffi sets anyway, only bounding vector registers; AAPCS64 as
   * used on Linux, unlike Apple's: x0-x7; ppc64le ELFv2: r3-r10). glibc's {@code syscall} on each is
   * a few instructions of assembly that move those registers into the kernel's and never read a
   * stack save area. The kernel reads each argument as a long and narrows it to the declared type
   * (SYSCALL_DEFINE's casts), so an int argument's upper register half does not matter; the null
   * siginfo pointer is a full 64-bit zero.
   */
  public interface LibC {
    /** {@code syscall(number, a, b)}: pidfd_open(pid, flags). -1 with errno on failure. */
    @SaveError
    long syscall(long number, int a, int b);

    /**
     * {@code syscall(number, a, b, c, d)}: pidfd_send_signal(pidfd, sig, info, flags). -1 with
     * errno on failure.
     */
    @SaveError
    long syscall(long number, int a, int b, Pointer c, int d);

    @SaveError
    int close(int fd);
  }

  private final LibC libc;
  private final Runtime runtime;
  private final PidfdSyscalls numbers;

  private NativePidfdCalls(LibC libc, PidfdSyscalls numbers) {
    this.libc = libc;
    this.runtime = Runtime.getRuntime(libc);
    this.numbers = numbers;
  }

  /**
   * Binds libc. Costs ~160-350 ms in a fresh JVM, so only {@link Signallers} calls it, and only
   * when something is to be signalled.
   *
   * @param numbers this architecture's system call numbers; wrong numbers would call some other
   *     system call, so they come only from {@link PidfdSyscalls}'s checked table
   */
  static NativePidfdCalls load(PidfdSyscalls numbers) {
    Objects.requireNonNull(numbers, "numbers");
    LibC libc =
        LibraryLoader.create(LibC.class)
            .option(LibraryOption.SaveError, Boolean.TRUE)
            .load(Platform.getNativePlatform().getStandardCLibraryName());
    return new NativePidfdCalls(libc, numbers);
  }

  PidfdSyscalls numbers() {
    return numbers;
  }

  @Override
  public int open(int pid) {
    long fd = libc.syscall(numbers.pidfdOpen(), pid, 0);
    return fd >= 0 ? Math.toIntExact(fd) : minusErrno();
  }

  @Override
  public int sendSignal(int pidfd, int signal) {
    long rc = libc.syscall(numbers.pidfdSendSignal(), pidfd, signal, null, 0);
    return rc == 0 ? 0 : minusErrno();
  }

  @Override
  public void close(int fd) {
    libc.close(fd);
  }

  // syscall() returns -1 and sets errno, which jnr-ffi saves per thread right after the call
  // (SaveError); it must be read on the same thread before any other native call. A failure
  // without errno must still read as one.
  private int minusErrno() {
    int errno = LastError.getLastError(runtime);
    return errno > 0 ? -errno : Integer.MIN_VALUE;
  }
}
