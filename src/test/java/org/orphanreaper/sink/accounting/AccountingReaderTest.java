package org.orphanreaper.sink.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.orphanreaper.sink.accounting.AccountingLogTest.rec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.orphanreaper.SpecialFiles;
import org.orphanreaper.cli.History;

class AccountingReaderTest {

  @TempDir Path dir;
  @RegisterExtension final SpecialFiles special = new SpecialFiles();

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

  /** What one pass over the files gave. */
  private record Contents(List<AccountingRecord> records, int corruptLines,
      Optional<String> firstCorrupt) {}

  private Contents read() throws Exception {
    return read(new AccountingReader(file()));
  }

  private static Contents read(AccountingReader reader) throws Exception {
    try (AccountingReader.Opened files = reader.open()) {
      return pass(files);
    }
  }

  private static Contents pass(AccountingReader.Opened files) throws Exception {
    List<AccountingRecord> records = new ArrayList<>();
    files.forEach(records::add);
    return new Contents(records, files.skipped().corruptLines(),
        files.skipped().firstCorrupt());
  }

  private static List<Integer> pids(Contents c) {
    return c.records().stream().map(AccountingRecord::pid).toList();
  }

  @Test
  void noFileIsAnEmptyHistory() throws Exception {
    Contents c = read(new AccountingReader(dir.resolve("none/a.jsonl")));
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
    Contents c = read();
    assertThat(pids(c)).containsExactly(1, 2, 3, 4);
    assertThat(c.corruptLines()).isEqualTo(5);
    assertThat(c.firstCorrupt()).contains("accounting.jsonl.1:2: unterminated string at column 19");
  }

  @Test
  void aCompleteLastLineWithoutLineFeedCounts() throws Exception {
    Files.writeString(file(), lines(1) + AccountingJson.line(rec(2)));
    Contents c = read();
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

  /** History goes over the files twice: both passes must see the same records. */
  @Test
  void everyPassReadsTheFilesAsTheyWereOpenedWhileARunAppendsAndRotates() throws Exception {
    AccountingLog log = new AccountingLog(file(), 3 * AccountingLogTest.LINE, 5);
    log.append(List.of(rec(1), rec(2)));
    log.append(List.of(rec(3), rec(4)));
    try (AccountingReader.Opened files = new AccountingReader(file()).open()) {
      Contents first = pass(files);
      log.append(List.of(rec(5)));
      log.append(List.of(rec(6), rec(7)));
      assertThat(pass(files)).isEqualTo(first);
      assertThat(pids(first)).containsExactly(1, 2, 3, 4);
    }
    assertThat(pids(read())).containsExactly(1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void anUnreadableFileIsAnErrorOfOneLine() throws Exception {
    Files.createDirectories(file());
    assertThatThrownBy(this::read)
        .isInstanceOf(AccountingException.class)
        .hasMessageStartingWith("accounting: cannot read " + file() + ": ")
        .hasMessageNotContaining("\n");
  }

  /** A FIFO hung history (an open for reading waits for a writer); a link is not followed. */
  @ParameterizedTest
  @EnumSource(SpecialFiles.Kind.class)
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void readsNothingButRegularFiles(SpecialFiles.Kind kind) throws Exception {
    Files.writeString(AccountingLog.rotated(file(), 2), lines(1));
    special.make(kind, AccountingLog.rotated(file(), 1));
    assertThatThrownBy(this::read)
        .isInstanceOf(AccountingException.class)
        .hasMessage("accounting: cannot read " + AccountingLog.rotated(file(), 1) + ": it is "
            + kind.description() + ", not a regular file");
    assertThat(kind.isStill(AccountingLog.rotated(file(), 1))).isTrue();
  }

  /** /dev/zero as the accounting file: one endless corrupt line, read for ever. */
  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aDeviceThatReadsZerosForeverIsRefused() throws Exception {
    special.zeroDevice(file());
    assertThatThrownBy(this::read)
        .isInstanceOf(AccountingException.class)
        .hasMessage("accounting: cannot read " + file()
            + ": it is a character device, not a regular file");
  }
}
