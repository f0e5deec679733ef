package org.orphanreaper.nativestub;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The libc functions the reaper calls, all of them, bound once by {@link LibcBinding}: the pidfd
 * system calls by number through {@code syscall(2)}, {@code kill(2)} and {@code close(2)} to
 * signal; {@code socket}, {@code connect}, {@code setsockopt}, {@code send} and {@code strerror}
 * for the syslog socket, which the JDK (17) lacks for unix datagram sockets. Only symbols every
 * glibc (and musl) exports: glibc's own {@code pidfd_open} and {@code pidfd_send_signal}
 * wrappers exist only from 2.36, so binding them failed on RHEL 9 (2.34) and Ubuntu 22.04 (2.35).
 * Public only because jnr-ffi's generated class must be able to implement it.
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
public interface Libc {

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
  int kill(int pid, int signal);

  @SaveError
  int close(int fd);

  @SaveError
  int socket(int domain, int type, int protocol);

  @SaveError
  int connect(int fd, @In byte[] address, int addressLength);

  @SaveError
  int setsockopt(int fd, int level, int option, @In byte[] value, int valueLength);

  @SaveError
  @ssize_t
  long send(int fd, @In byte[] buffer, @size_t long length, int flags);

  String strerror(int errno);
}
