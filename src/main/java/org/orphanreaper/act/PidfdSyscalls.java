package org.orphanreaper.act;

import java.util.Locale;
import java.util.Optional;

/**
 * The system call numbers of pidfd_open and pidfd_send_signal on one architecture, called through
 * libc's {@code syscall(2)} so that no glibc wrapper is needed (glibc exports {@code pidfd_open}
 * and {@code pidfd_send_signal} only from 2.36: RHEL/Rocky/Alma 9 ship 2.34, Ubuntu 22.04 2.35).
 *
 * <p>The numbers, from the Linux kernel's own tables (torvalds/linux):
 *
 * <ul>
 *   <li>x86_64, arch/x86/entry/syscalls/syscall_64.tbl: {@code 424 common pidfd_send_signal
 *       sys_pidfd_send_signal} and {@code 434 common pidfd_open sys_pidfd_open}.
 *   <li>aarch64 uses the generic table, include/uapi/asm-generic/unistd.h: {@code #define
 *       __NR_pidfd_send_signal 424} and {@code #define __NR_pidfd_open 434}.
 *   <li>ppc64le, arch/powerpc/kernel/syscalls/syscall.tbl: {@code 424 common pidfd_send_signal
 *       sys_pidfd_send_signal} and {@code 434 common pidfd_open sys_pidfd_open}.
 * </ul>
 *
 * Since 5.1 (pidfd_send_signal) and 5.3 (pidfd_open) every architecture but alpha shares these
 * numbers, but only the three above are listed: an architecture not checked here gets kill(2).
 */
public record PidfdSyscalls(String arch, long pidfdOpen, long pidfdSendSignal) {

  public static final PidfdSyscalls X86_64 = new PidfdSyscalls("x86_64", 434, 424);
  public static final PidfdSyscalls AARCH64 = new PidfdSyscalls("aarch64", 434, 424);
  public static final PidfdSyscalls PPC64LE = new PidfdSyscalls("ppc64le", 434, 424);

  /**
   * The numbers for a JVM's {@code os.arch}, empty for an architecture whose table was not checked
   * (32-bit x86 and arm, big-endian ppc64, s390x, riscv64...): those signal with kill(2).
   */
  public static Optional<PidfdSyscalls> forArch(String osArch) {
    return switch (osArch == null ? "" : osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> Optional.of(X86_64);
      case "aarch64", "arm64" -> Optional.of(AARCH64);
      case "ppc64le" -> Optional.of(PPC64LE);
      default -> Optional.empty();
    };
  }

  /** The numbers for the architecture this JVM runs on. */
  public static Optional<PidfdSyscalls> ofThisJvm() {
    return forArch(System.getProperty("os.arch"));
  }
}
