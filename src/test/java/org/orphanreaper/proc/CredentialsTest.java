package org.orphanreaper.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialsTest {

  @Test
  void parsesAllFourUidsAndGroups() {
    Credentials c = Credentials.parse("Name:\tx\nUid:\t5001\t0\t0\t0\nGid:\t100\t100\t100\t100\n"
        + "Groups:\t100 65400 \n").orElseThrow();
    assertThat(c.ruid()).isEqualTo(5001);
    assertThat(c.euid()).isZero();
    assertThat(c.lowestUid()).isZero(); // a setuid-root process is protected by its euid
    assertThat(c.rgid()).isEqualTo(100);
    assertThat(c.groups()).containsExactly(100, 65400);
  }

  @Test
  void emptyGroupsLine() {
    Credentials c = Credentials.parse("Uid:\t7\t7\t7\t7\nGid:\t7\t7\t7\t7\nGroups:\t\n")
        .orElseThrow();
    assertThat(c.groups()).isEqualTo(List.of());
  }

  @Test
  void missingOrMalformedLinesGiveNothing() {
    assertThat(Credentials.parse("Uid:\t1\t1\t1\t1\nGid:\t1\t1\t1\t1\n")).isEmpty();
    assertThat(Credentials.parse("Uid:\t1\t1\t1\nGid:\t1\t1\t1\t1\nGroups:\n")).isEmpty();
    assertThat(Credentials.parse("Uid:\tx\t1\t1\t1\nGid:\t1\t1\t1\t1\nGroups:\n")).isEmpty();
  }

  @Test
  void numbersMustBeUnsigned32BitDecimals() {
    assertThat(Credentials.parse("Uid:\t1\t1\t1\t4294967296\nGid:\t1\t1\t1\t1\nGroups:\n"))
        .isEmpty();
    assertThat(Credentials.parse("Uid:\t1\t1\t1\t1\nGid:\t1\t1\t1\t1\nGroups:\t5 -6\n"))
        .isEmpty();
    assertThat(Credentials.parse("Uid:\t1\t1\t1\t1\nGid:\t1\t1\t1\t1\nGroups:\t5 6x\n"))
        .isEmpty();
    assertThat(Credentials.parse("Uid: 1 2 3 4\r\nGid:\t1\t1\t1\t1\nGroups:"))
        .hasValueSatisfying(c -> assertThat(c.fsuid()).isEqualTo(4));
  }

  @Test
  void noUidIsTheHighestUid() {
    Credentials c = Credentials.parse(
        "Uid:\t4294967295\t4294967295\t4294967295\t4294967295\nGid:\t1\t1\t1\t1\nGroups:\n")
        .orElseThrow();
    assertThat(c.lowestUid()).isEqualTo(4_294_967_295L);
  }

  @Test
  void uidsAreUnsigned32Bit() {
    Credentials c = Credentials.parse(
        "Uid:\t3000000000\t3000000000\t3000000000\t4000000000\nGid:\t1\t1\t1\t1\nGroups:\n")
        .orElseThrow();
    assertThat(c.ruid()).isEqualTo(3_000_000_000L);
    assertThat(c.fsuid()).isEqualTo(4_000_000_000L);
    assertThat(c.lowestUid()).isEqualTo(3_000_000_000L);
    Credentials mixed = Credentials.parse(
        "Uid:\t3000000000\t1000\t3000000000\t3000000000\nGid:\t1\t1\t1\t1\nGroups:\n")
        .orElseThrow();
    assertThat(mixed.lowestUid()).isEqualTo(1000);
  }

  /** The kernel's order, cut where parsing stops: after Groups nothing more is looked at. */
  @Test
  void stopsAtTheLastLineItNeedsInWhateverOrder() {
    String kernel = "Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\nNgid:\t0\n"
        + "Pid:\t42\nPPid:\t1\nTracerPid:\t0\nUid:\t5001\t5001\t5001\t5001\n"
        + "Gid:\t5001\t5001\t5001\t5001\nFDSize:\t64\nGroups:\t5001 65200 \n";
    assertThat(Credentials.parse(kernel + "NStgid:\t42\nVmPeak:\t  2380 kB\n" + "x".repeat(5000)))
        .isEqualTo(Credentials.parse(kernel));
    assertThat(Credentials.parse("Groups:\t9\nGid:\t8\t8\t8\t8\nUid:\t7\t7\t7\t7\nUid: bad"))
        .hasValueSatisfying(c -> {
          assertThat(c.ruid()).isEqualTo(7);
          assertThat(c.groups()).containsExactly(9);
        });
  }
}
