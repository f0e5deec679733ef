package org.orphanreaper.proc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.orphanreaper.base.ProcId;

class ProcTest {

  private static final String TAIL =
      " 0 4194560 100 0 0 0 150 50 0 0 20 0 3 0 123456 1000000 250 18446744073709551615";

  @Test
  void parsesPlainLine() {
    Proc p = Proc.parse("4242 (sleep) S 1 4240 4239 34816" + TAIL).orElseThrow();
    assertThat(p.pid()).isEqualTo(4242);
    assertThat(p.comm()).isEqualTo("sleep");
    assertThat(p.state()).isEqualTo('S');
    assertThat(p.ppid()).isEqualTo(1);
    assertThat(p.pgid()).isEqualTo(4240);
    assertThat(p.sid()).isEqualTo(4239);
    assertThat(p.ttyNr()).isEqualTo(34816);
    assertThat(p.hasTty()).isTrue();
    assertThat(p.cpuTicks()).isEqualTo(200);
    assertThat(p.threads()).isEqualTo(3);
    assertThat(p.startTicks()).isEqualTo(123456);
    assertThat(p.rssPages()).isEqualTo(250);
    assertThat(p.kernelThread()).isFalse();
    assertThat(p.id()).isEqualTo(new ProcId(4242, 123456));
  }

  @Test
  void commWithParenthesesAndForgedFieldsIsReadAfterTheLastParen() {
    // The process named itself "a) S 1 1 1" to pose as a child of init in session 1.
    Proc p = Proc.parse("777 (a) S 1 1 1) R 500 777 700 0" + TAIL).orElseThrow();
    assertThat(p.comm()).isEqualTo("a) S 1 1 1");
    assertThat(p.state()).isEqualTo('R');
    assertThat(p.ppid()).isEqualTo(500);
    assertThat(p.sid()).isEqualTo(700);
  }

  @Test
  void commWithSpacesAndNewline() {
    Proc p = Proc.parse("9 (Web Content (pid 42)\n) S 8 9 9 0" + TAIL).orElseThrow();
    assertThat(p.comm()).isEqualTo("Web Content (pid 42)\n");
    assertThat(p.ppid()).isEqualTo(8);
  }

  @Test
  void kernelThreadByFlag() {
    Proc p = Proc.parse("55 (kworker/0:1) I 2 0 0 0 -1 69238880 0 0 0 0 0 0 0 0 20 0 1"
        + " 0 100 0 0 18446744073709551615").orElseThrow();
    assertThat(p.kernelThread()).isTrue();
    Proc flagged = Proc.parse("56 (odd) S 77 0 0 0 -1 2097152 0 0 0 0 0 0 0 0 20 0 1"
        + " 0 100 0 0 1").orElseThrow();
    assertThat(flagged.kernelThread()).isTrue();
  }

  @Test
  void pidTwoAndItsChildrenAreUserProcessesWithoutTheFlag() {
    // Inside a container or PID namespace the first process started after init is pid 2 and
    // its children have ppid 2: only PF_KTHREAD says what a kernel thread is.
    Proc two = Proc.parse("2 (sleep) S 1 2 2 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1"
        + " 0 100 0 0 1").orElseThrow();
    assertThat(two.kernelThread()).isFalse();
    Proc child = Proc.parse("3 (bash) S 2 2 2 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1"
        + " 0 100 0 0 1").orElseThrow();
    assertThat(child.kernelThread()).isFalse();
    Proc kthreadd = Proc.parse("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0"
        + " 1 0 100 0 0 0").orElseThrow();
    assertThat(kthreadd.kernelThread()).isTrue();
  }

  @Test
  void zombie() {
    Proc p = Proc.parse("60 (defunct) Z 59 59 59 0" + TAIL).orElseThrow();
    assertThat(p.zombie()).isTrue();
  }

  @Test
  void rejectsTruncatedOrGarbage() {
    assertThat(Proc.parse("")).isEmpty();
    assertThat(Proc.parse("12 (x")).isEmpty();
    assertThat(Proc.parse("12 (x) S 1 2")).isEmpty();
    assertThat(Proc.parse("12 (x) S one 1 1 0" + TAIL)).isEmpty();
    assertThat(Proc.parse("x (x) S 1 1 1 0" + TAIL)).isEmpty();
  }
}
