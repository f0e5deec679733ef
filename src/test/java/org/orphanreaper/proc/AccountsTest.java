package org.orphanreaper.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {

  @TempDir Path dir;

  @Test
  void uidMinFromLoginDefs() throws Exception {
    Path defs = dir.resolve("login.defs");
    Files.writeString(defs, "# comment\nUID_MAX 60000\nUID_MIN\t\t 1500\n");
    assertThat(new Accounts(defs, dir.resolve("passwd"), dir.resolve("group"), false).uidMin()).isEqualTo(1500);
  }

  @Test
  void uidMinDefaultsTo1000() throws Exception {
    Path defs = dir.resolve("login.defs");
    Files.writeString(defs, "#UID_MIN 500\n");
    assertThat(new Accounts(defs, dir.resolve("passwd"), dir.resolve("group"), false).uidMin()).isEqualTo(1000);
    assertThat(new Accounts(dir.resolve("none"), dir.resolve("passwd"), dir.resolve("group"), false).uidMin())
        .isEqualTo(1000);
  }

  @Test
  void namesFromPasswdAndNumbersOtherwise() throws Exception {
    Path passwd = dir.resolve("passwd");
    Files.writeString(passwd, "root:x:0:0::/root:/bin/sh\nalice:x:5001:5001::/h:/bin/sh\nbad\n");
    Accounts a = new Accounts(dir.resolve("none"), passwd, dir.resolve("group"), false);
    a.resolve(List.of(0L, 5001L, 7777L));
    assertThat(a.name(5001)).isEqualTo("alice");
    assertThat(a.name(0)).isEqualTo("root");
    assertThat(a.name(7777)).isEqualTo("7777");
    assertThat(a.userName(7777)).isEmpty();
  }

  @Test
  void uidsAboveTwoToTheThirtyFirstHaveNamesAndPrintUnsigned() throws Exception {
    Path passwd = dir.resolve("passwd");
    Files.writeString(passwd, "big:x:3000000000:5001::/h:/bin/sh\n");
    Accounts a = new Accounts(dir.resolve("none"), passwd, dir.resolve("group"), false);
    a.resolve(List.of(3_000_000_000L, 3_000_000_001L, 4_294_967_295L));
    assertThat(a.name(3_000_000_000L)).isEqualTo("big");
    assertThat(a.name(3_000_000_001L)).isEqualTo("3000000001");
    assertThat(a.name(4_294_967_295L)).isEqualTo("4294967295");
  }

  @Test
  void groupNamesFromTheGroupFile() throws Exception {
    Files.writeString(dir.resolve("group"), "root:x:0:\natlas:x:6001:alice,bob\n");
    Accounts a = new Accounts(dir.resolve("none"), dir.resolve("passwd"), dir.resolve("group"),
        false);
    a.resolveGroups(List.of(6001, 6002));
    assertThat(a.groupName(6001)).contains("atlas");
    assertThat(a.groupName(6002)).isEmpty();
  }

  @Test
  void idsTheFilesLackAreAskedOfGetentInTheBackground() throws Exception {
    // An empty passwd: uid 0 (and gid 0) can only come from the system's NSS, through getent.
    Files.writeString(dir.resolve("passwd"), "");
    Files.writeString(dir.resolve("group"), "");
    Accounts a = new Accounts(dir.resolve("none"), dir.resolve("passwd"), dir.resolve("group"),
        true);
    a.resolve(List.of(0L, 2_000_000_001L));
    a.resolveGroups(List.of(0));
    assertThat(a.userName(0)).contains("root"); // waits for the getent started above
    assertThat(a.groupName(0)).contains("root");
    assertThat(a.userName(2_000_000_001)).isEmpty();
    a.resolve(List.of(0L, 2_000_000_001L)); // answered or asked already: no second getent
    assertThat(a.name(2_000_000_001)).isEqualTo("2000000001");
  }
}
