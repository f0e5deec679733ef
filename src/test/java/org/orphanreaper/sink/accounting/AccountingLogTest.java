package org.orphanreaper.sink.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.orphanreaper.SpecialFiles;

class AccountingLogTest {

  @TempDir Path dir;
  @RegisterExtension final SpecialFiles special = new SpecialFiles();

  /** A record of pid {@code pid}; every one has the same length for pids of the same width. */
  static AccountingRecord rec(int pid) {
    AccountingRecord s = AccountingJsonTest.sample();
    return new AccountingRecord(
        s.time(),
        s.host(),
        pid,
        s.startTime(),
        s.uid(),
        s.user(),
        s.sid(),
        s.familyRoot(),
        s.comm(),
        s.cmdline(),
        s.cputime(),
        s.walltime(),
        s.rule(),
        s.signals(),
        s.result(),
        s.reasonCode(),
        s.reason());
  }

  static final long LINE = AccountingJson.line(rec(1000)).length() + 1;

  private Path file() {
    return dir.resolve("log").resolve("accounting.jsonl");
  }

  private static List<Integer> pids(Path p) throws Exception {
    List<Integer> out = new ArrayList<>();
    for (String l : Files.readAllLines(p)) {
      out.add(AccountingJson.parse(l).pid());
    }
    return out;
  }

  private List<String> names() throws Exception {
    try (Stream<Path> s = Files.list(file().getParent())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void createsAPrivateDirectoryAndFileAndAppendsOneLinePerRecord() throws Exception {
    AccountingLog log = new AccountingLog(file(), 1 << 20, 3);
    log.append(List.of(rec(1000), rec(1001)));
    log.append(List.of(rec(1002)));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent())))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-------");
    assertThat(pids(file())).containsExactly(1000, 1001, 1002);
    assertThat(Files.readString(file())).endsWith("}\n");
  }

  @Test
  void leavesTheModeOfAnExistingFileAlone() throws Exception {
    Files.createDirectories(file().getParent());
    Files.createFile(
        file(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
    new AccountingLog(file(), 1 << 20, 3).append(List.of(rec(1000)));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file())))
        .isEqualTo("rw-r-----");
  }

  @Test
  void nothingToRecordTouchesNothing() throws Exception {
    new AccountingLog(file(), 1 << 20, 3).append(List.of());
    assertThat(file().getParent()).doesNotExist();
  }

  @Test
  void rotatesBeforeAWriteThatWouldTakeTheFilePastMaxBytes() throws Exception {
    AccountingLog log = new AccountingLog(file(), 3 * LINE, 3);
    for (int pid = 1000; pid < 1003; pid++) {
      log.append(List.of(rec(pid)));
    }
    assertThat(Files.size(file())).isEqualTo(3 * LINE);
    assertThat(names()).containsExactly("accounting.jsonl");
    log.append(List.of(rec(1003)));
    assertThat(names()).containsExactly("accounting.jsonl", "accounting.jsonl.1");
    assertThat(pids(AccountingLog.rotated(file(), 1))).containsExactly(1000, 1001, 1002);
    assertThat(pids(file())).containsExactly(1003);
  }

  @Test
  void keepsKeepRotatedFilesAndDropsTheOldest() throws Exception {
    AccountingLog log = new AccountingLog(file(), 2 * LINE, 2);
    for (int pid = 1000; pid < 1009; pid++) {
      log.append(List.of(rec(pid)));
    }
    assertThat(names())
        .containsExactly("accounting.jsonl", "accounting.jsonl.1", "accounting.jsonl.2");
    assertThat(pids(AccountingLog.rotated(file(), 2))).containsExactly(1004, 1005);
    assertThat(pids(AccountingLog.rotated(file(), 1))).containsExactly(1006, 1007);
    assertThat(pids(file())).containsExactly(1008);
    for (String n : names()) {
      assertThat(Files.size(file().resolveSibling(n))).isLessThanOrEqualTo(2 * LINE);
    }
  }

  @Test
  void aRunBiggerThanMaxBytesIsWrittenWholeIntoAFreshFile() throws Exception {
    AccountingLog log = new AccountingLog(file(), 2 * LINE, 1);
    log.append(List.of(rec(1000)));
    List<AccountingRecord> big =
        IntStream.range(2000, 2010).mapToObj(AccountingLogTest::rec).toList();
    log.append(big);
    assertThat(pids(AccountingLog.rotated(file(), 1))).containsExactly(1000);
    assertThat(pids(file()))
        .containsExactlyElementsOf(big.stream().map(AccountingRecord::pid).toList());
    log.append(List.of(rec(1001)));
    assertThat(pids(AccountingLog.rotated(file(), 1))).hasSize(10);
    assertThat(pids(file())).containsExactly(1001);
  }

  @Test
  void withKeepZeroTheOldFileGoesAndTheRunStays() throws Exception {
    AccountingLog log = new AccountingLog(file(), LINE, 0);
    log.append(List.of(rec(1000)));
    log.append(List.of(rec(1001)));
    assertThat(names()).containsExactly("accounting.jsonl");
    assertThat(pids(file())).containsExactly(1001);
  }

  @Test
  void rotationRemovesFilesLeftByALargerKeep() throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(AccountingLog.rotated(file(), 7), "old\n");
    Files.writeString(AccountingLog.rotated(file(), 1), "older run\n");
    AccountingLog log = new AccountingLog(file(), LINE, 2);
    log.append(List.of(rec(1000)));
    log.append(List.of(rec(1001)));
    assertThat(names())
        .containsExactly("accounting.jsonl", "accounting.jsonl.1", "accounting.jsonl.2");
    assertThat(Files.readString(AccountingLog.rotated(file(), 2))).isEqualTo("older run\n");
  }

  @Test
  void aFailedRotationStillWritesTheRunAndSaysSo() throws Exception {
    AccountingLog log = new AccountingLog(file(), LINE, 1);
    log.append(List.of(rec(1000)));
    Path blocker = AccountingLog.rotated(file(), 1);
    Files.createDirectories(blocker.resolve("x"));
    assertThatThrownBy(() -> log.append(List.of(rec(1001))))
        .isInstanceOf(AccountingException.class)
        .hasMessage(
            "accounting: cannot rotate "
                + file()
                + ": directory not empty;"
                + " this run's records were appended to it");
    assertThat(pids(file())).containsExactly(1000, 1001);
  }

  @Test
  void aTornLastLineDoesNotSwallowTheFirstNewRecord() throws Exception {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "{\"time\":\"2024-05-0");
    new AccountingLog(file(), 1 << 20, 1).append(List.of(rec(1000)));
    List<String> lines = Files.readAllLines(file(), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo("{\"time\":\"2024-05-0");
    assertThat(AccountingJson.parse(lines.get(1)).pid()).isEqualTo(1000);
  }

  @Test
  void errorsAreOneLineAndNameTheFile() throws Exception {
    Path notDir = dir.resolve("plain");
    Files.writeString(notDir, "x");
    assertThatThrownBy(
            () -> new AccountingLog(notDir.resolve("a.jsonl"), 100, 1).append(List.of(rec(1000))))
        .isInstanceOf(AccountingException.class)
        .hasMessage("accounting: cannot create directory " + notDir + ": not a directory");
    Files.createDirectories(file());
    assertThatThrownBy(() -> new AccountingLog(file(), 100, 1).append(List.of(rec(1000))))
        .isInstanceOf(AccountingException.class)
        .hasMessageStartingWith("accounting: cannot write " + file() + ": ")
        .hasMessageNotContaining("\n");
  }

  /**
   * A FIFO hung the run (an open for writing waits for a reader), a link was followed and
   * /dev/null swallowed the records: only a regular file is appended to.
   */
  @ParameterizedTest
  @EnumSource(SpecialFiles.Kind.class)
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void appendsToNothingButARegularFile(SpecialFiles.Kind kind) throws Exception {
    Files.createDirectories(file().getParent());
    special.make(kind, file());
    assertThatThrownBy(() -> new AccountingLog(file(), 1 << 20, 1).append(List.of(rec(1000))))
        .isInstanceOf(AccountingException.class)
        .hasMessage("accounting: cannot write " + file() + ": it is " + kind.description()
            + ", not a regular file");
    assertThat(kind.isStill(file())).as("still " + kind.description()).isTrue();
  }

  @Test
  void rejectsNonsenseLimits() {
    assertThatThrownBy(() -> new AccountingLog(file(), 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AccountingLog(file(), 1, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
