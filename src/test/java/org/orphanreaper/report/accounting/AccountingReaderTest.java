package org.orphanreaper.report.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.orphanreaper.report.accounting.AccountingLogTest.rec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountingReaderTest {

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("accounting.jsonl");
  }

  private static String lines(int... pids) {
    StringBuilder b = new StringBuilder();
    for (int pid : pids) {
      b.append(AccountingJson.line(rec(pid))).append('\n');
    }
    return b.toString();
  }

  private AccountingReader.Contents read() throws Exception {
    return new AccountingReader(file()).read();
  }

  private static List<Integer> pids(AccountingReader.Contents c) {
    return c.records().stream().map(AccountingRecord::pid).toList();
  }

  @Test
  void noFileIsAnEmptyHistory() throws Exception {
    AccountingReader.Contents c = new AccountingReader(dir.resolve("none/a.jsonl")).read();
    assertThat(c.records()).isEmpty();
    assertThat(c.corruptLines()).isZero();
    assertThat(c.firstCorrupt()).isEmpty();
  }

  @Test
  void readsRotatedFilesOldestFirstByNumberNotByName() throws Exception {
    Files.writeString(AccountingLog.rotated(file(), 10), lines(1, 2));
    Files.writeString(AccountingLog.rotated(file(), 2), lines(3));
    Files.writeString(AccountingLog.rotated(file(), 1), lines(4, 5));
    Files.writeString(file(), lines(6));
    Files.writeString(dir.resolve("accounting.jsonl.bak"), lines(99));
    Files.writeString(dir.resolve("accounting.jsonl.01"), lines(98));
    Files.writeString(dir.resolve("other.jsonl.3"), lines(97));
    assertThat(pids(read())).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void readsRotatedFilesEvenWhenTheCurrentOneIsGone() throws Exception {
    Files.writeString(AccountingLog.rotated(file(), 1), lines(4, 5));
    assertThat(pids(read())).containsExactly(4, 5);
  }

  @Test
  void skipsAndCountsCorruptLinesAndSaysWhereTheFirstWas() throws Exception {
    Files.writeString(
        AccountingLog.rotated(file(), 1),
        lines(1) + "{\"time\":\"2024-05-0\n" + "\n   \n" + lines(2));
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    current.write(lines(3).getBytes(StandardCharsets.UTF_8));
    current.write(new byte[] {'{', (byte) 0xC3, '}', '\n'}); // not UTF-8
    current.write(
        ("x".repeat(AccountingReader.MAX_LINE_BYTES + 10) + "\n").getBytes(StandardCharsets.UTF_8));
    current.write(lines(4).getBytes(StandardCharsets.UTF_8));
    current.write("[1, 2]\n".getBytes(StandardCharsets.UTF_8));
    current.write("{\"time\"".getBytes(StandardCharsets.UTF_8)); // torn by a crash
    Files.write(file(), current.toByteArray());
    AccountingReader.Contents c = read();
    assertThat(pids(c)).containsExactly(1, 2, 3, 4);
    assertThat(c.corruptLines()).isEqualTo(5);
    assertThat(c.firstCorrupt()).contains("accounting.jsonl.1:2: unterminated string at column 19");
  }

  @Test
  void aCompleteLastLineWithoutLineFeedCounts() throws Exception {
    Files.writeString(file(), lines(1) + AccountingJson.line(rec(2)));
    AccountingReader.Contents c = read();
    assertThat(pids(c)).containsExactly(1, 2);
    assertThat(c.corruptLines()).isZero();
  }

  @Test
  void getsBackEveryRecordTheLogKeptAcrossRotations() throws Exception {
    AccountingLog log = new AccountingLog(file(), 5 * AccountingLogTest.LINE, 100);
    for (int run = 0; run < 12; run++) {
      int first = 1000 + run * 3;
      log.append(IntStream.range(first, first + 3).mapToObj(AccountingLogTest::rec).toList());
    }
    assertThat(AccountingLog.rotatedFiles(file())).hasSizeGreaterThan(3);
    assertThat(pids(read()))
        .containsExactlyElementsOf(IntStream.range(1000, 1036).boxed().toList());
  }

  @Test
  void anUnreadableFileIsAnErrorOfOneLine() throws Exception {
    Files.createDirectories(file());
    assertThatThrownBy(this::read)
        .isInstanceOf(AccountingException.class)
        .hasMessageStartingWith("accounting: cannot read " + file() + ": ")
        .hasMessageNotContaining("\n");
  }
}
