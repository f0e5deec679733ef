package org.orphanreaper.act;

import java.util.Objects;
import org.orphanreaper.nativestub.Libc;
import org.orphanreaper.nativestub.LibcBinding;

/**
 * The pidfd system calls by number through libc's {@code syscall(2)}, on the run's one {@link
 * LibcBinding}.
 *
 * <p>Not through glibc's {@code pidfd_open}/{@code pidfd_send_signal} wrappers: those exist only
 * from glibc 2.36, so on RHEL/Rocky/Alma 9 (2.34) and Ubuntu 22.04 (2.35) every call threw
 * UnsatisfiedLinkError and the node fell back to kill(2) although its kernel had pidfd.
 * {@code syscall} has been exported by every glibc (and musl) for decades.
 */
final class NativePidfdCalls implements PidfdCalls {

  private final LibcBinding binding;
  private final Libc libc;
  private final PidfdSyscalls numbers;

  private NativePidfdCalls(LibcBinding binding, PidfdSyscalls numbers) {
    this.binding = binding;
    this.libc = binding.libc();
    this.numbers = numbers;
  }

  /**
   * The pidfd calls on the JVM's libc binding, made on first use (~160-350 ms in a fresh JVM), so
   * only {@link Signallers} calls this, and only when something is to be signalled.
   *
   * @param numbers this architecture's system call numbers; wrong numbers would call some other
   *     system call, so they come only from {@link PidfdSyscalls}'s checked table
   */
  static NativePidfdCalls load(PidfdSyscalls numbers) {
    Objects.requireNonNull(numbers, "numbers");
    return new NativePidfdCalls(LibcBinding.get(), numbers);
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
  // (SaveError); it must be read on the same thread before any other native call.
  private int minusErrno() {
    return binding.minusErrno();
  }
}
