package org.orphanreaper.act;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.orphanreaper.nativestub.Libc;

class PidfdSyscallsTest {

  @ParameterizedTest
  @CsvSource({
    // os.arch as the JVM spells it | table | pidfd_open | pidfd_send_signal
    "amd64,   x86_64,  434, 424", // arch/x86/entry/syscalls/syscall_64.tbl
    "x86_64,  x86_64,  434, 424",
    "aarch64, aarch64, 434, 424", // include/uapi/asm-generic/unistd.h
    "ppc64le, ppc64le, 434, 424", // arch/powerpc/kernel/syscalls/syscall.tbl
  })
  void numbersFromTheKernelTables(String osArch, String arch, long open, long send) {
    PidfdSyscalls n = PidfdSyscalls.forArch(osArch).orElseThrow();

    assertThat(n.arch()).isEqualTo(arch);
    assertThat(n.pidfdOpen()).isEqualTo(open);
    assertThat(n.pidfdSendSignal()).isEqualTo(send);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x86", "i386", "arm", "ppc64", "s390x", "riscv64", "alpha", "", " "})
  void noTableNoPidfd(String osArch) {
    assertThat(PidfdSyscalls.forArch(osArch)).isEmpty();
  }

  @Test
  void nullArchHasNoTable() {
    assertThat(PidfdSyscalls.forArch(null)).isEmpty();
  }

  @Test
  void libcIsAskedOnlyForSymbolsEveryGlibcExports() {
    // glibc exports pidfd_open and pidfd_send_signal only from 2.36: binding those names made
    // every call throw UnsatisfiedLinkError on RHEL 9 (2.34) and Ubuntu 22.04 (2.35), and the
    // node fell back to kill(2). The run's one binding asks only for what every glibc exports.
    assertThat(Arrays.stream(Libc.class.getMethods()).map(Method::getName))
        .containsOnly("syscall", "kill", "close", "socket", "connect", "setsockopt", "send",
            "strerror");
  }

  @Test
  void kernelsBefore53HaveNoPidfdOpen() {
    SignallingPath rhel8 = SignallingPath.predict("amd64", Optional.of("4.18.0-553.el8_10.x86_64"));
    SignallingPath old = SignallingPath.predict("aarch64", Optional.of("5.2.21"));

    assertThat(rhel8.pidfd()).isFalse();
    assertThat(rhel8.mechanism()).isEqualTo("kill");
    assertThat(rhel8.description()).isEqualTo("kill(2) (no pidfd: kernel 4.18.0-553.el8_10.x86_64"
        + " is older than 5.3; pidfd_open is still probed before signalling)");
    assertThat(old.pidfd()).isFalse();
  }

  @Test
  void rhel9AndUbuntu2204KernelsUsePidfd() {
    SignallingPath rhel9 = SignallingPath.predict("amd64", Optional.of("5.14.0-427.13.1.el9_4"));
    SignallingPath ubuntu = SignallingPath.predict("aarch64", Optional.of("5.15.0-105-generic"));
    SignallingPath power = SignallingPath.predict("ppc64le", Optional.of("5.3.0"));

    assertThat(rhel9.pidfd()).isTrue();
    assertThat(rhel9.mechanism()).isEqualTo("pidfd");
    assertThat(rhel9.description()).isEqualTo("pidfd (pidfd_open syscall 434, pidfd_send_signal"
        + " syscall 424, x86_64; kernel 5.14.0-427.13.1.el9_4 >= 5.3)");
    assertThat(ubuntu.description()).contains("aarch64; kernel 5.15.0-105-generic >= 5.3");
    assertThat(power.description()).contains("ppc64le; kernel 5.3.0 >= 5.3");
  }

  @Test
  void otherArchitecturesSayWhy() {
    SignallingPath s390 = SignallingPath.predict("s390x", Optional.of("6.1.0"));

    assertThat(s390.pidfd()).isFalse();
    assertThat(s390.description())
        .isEqualTo("kill(2) (no pidfd: no checked syscall table for os.arch s390x)");
  }

  @Test
  void unknownReleaseIsProbed() {
    assertThat(SignallingPath.predict("amd64", Optional.empty()).description())
        .isEqualTo("pidfd (pidfd_open syscall 434, pidfd_send_signal syscall 424, x86_64;"
            + " kernel release unknown, probed before signalling)");
    assertThat(SignallingPath.predict("amd64", Optional.of("99999999999.1")).pidfd()).isTrue();
  }
}
