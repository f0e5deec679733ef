package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.orphanreaper.SpecialFiles;
import org.orphanreaper.cli.HistoryCommand;
import org.orphanreaper.sink.accounting.AccountingJson;
import org.orphanreaper.sink.accounting.AccountingLog;
import org.orphanreaper.sink.accounting.AccountingReader;

/** The sub-command end to end: arguments, the file read back, output and exit code. */
class HistoryCommandTest {

  @TempDir Path dir;
  @RegisterExtension final SpecialFiles special = new SpecialFiles();
  Path file;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  /** A day and an hour after the first run of the history, an hour after the second. */
  final Clock clock = Clock.fixed(HistoryTest.T0.plus(Duration.ofHours(25)), ZoneOffset.UTC);

  @BeforeEach
  void writeHistory() throws Exception {
    file = dir.resolve("accounting.jsonl");
    new AccountingLog(file, 1 << 20, 2).append(HistoryTest.history());
  }

  private int run(String... args) {
    return HistoryCommand.run(new PrintWriter(out), new PrintWriter(err), file, clock, args);
  }

  @Test
  void withoutArgumentsPrintsEverythingAndTheSummary() {
    assertThat(run()).isZero();
    assertThat(out.toString().lines()).hasSize(7).first().asString().startsWith("TIME ");
    assertThat(out.toString()).endsWith("5 records, 3 families, 3 users\n");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void sinceCountsBackFromNow() {
    assertThat(run("--since", "2h")).isZero();
    assertThat(out.toString()).endsWith("2 records, 1 family, 2 users\n");
  }

  @Test
  void userAndRuleFilterAndJsonPrintsLines() throws Exception {
    assertThat(run("--user", "alice", "--rule", "a", "--json")).isZero();
    String[] lines = out.toString().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(AccountingJson.parse(lines[0]).pid()).isEqualTo(100);
    assertThat(AccountingJson.parse(lines[1]).pid()).isEqualTo(101);
  }

  @Test
  void theUidWorksAsUserToo() {
    assertThat(run("--user=5002")).isZero();
    assertThat(out.toString()).contains(" bob ").endsWith("1 record, 1 family, 1 user\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--since|yesterday|--since: invalid duration 'yesterday' (use e.g. 90s, 15m, 2h, 1d, 1h30m,"
            + " HH:MM:SS or D-HH:MM:SS)",
        "--bogus||Unrecognized option: --bogus",
        "--js||Unrecognized option: --js",
        "extra||unexpected argument: extra",
        "--user|''|--user and --rule need a non-empty value"
      })
  void usageErrorsAreOneLineAndExitTwo(String a, String b, String message) {
    String[] args = b == null ? new String[] {a} : new String[] {a, b};
    assertThat(run(args)).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("orphan-reaper history: " + message + "\n");
    assertThat(out.toString()).isEmpty();
  }

  /** Commons CLI kept the first value and dropped the second without a word. */
  @ParameterizedTest
  @CsvSource({"--since, 1d, 2h", "--user, alice, bob", "--rule, a, b", "--accounting, x, y"})
  void anOptionGivenTwiceIsAUsageError(String option, String first, String second) {
    assertThat(run(option, first, option + "=" + second)).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("orphan-reaper history: option " + option
        + " given twice\n");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aFlagGivenTwiceIsHarmless() {
    assertThat(run("--json", "--json")).isZero();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void aMissingArgumentIsAUsageError() {
    assertThat(run("--since")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("orphan-reaper history: Missing argument")
        .hasLineCount(1);
  }

  @Test
  void helpListsTheOptions() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("--since", "--user", "--rule", "--json");
  }

  @Test
  void corruptLinesAreSkippedWithOneWarning() throws Exception {
    Files.writeString(file, "garbage\n" + Files.readString(file));
    assertThat(run()).isZero();
    assertThat(out.toString()).endsWith("5 records, 3 families, 3 users\n");
    assertThat(err.toString())
        .isEqualTo(
            "orphan-reaper history: skipped 1 corrupt line(s), the"
                + " first at accounting.jsonl:1: unexpected character 'g' at column 1\n");
  }

  /**
   * The fuzzer's line: a time Instant holds but no calendar date does (+1000000000-12-31) killed
   * the table with a DateTimeException and its stack trace. Such a line is no record the reaper
   * wrote: it is skipped, named, and the rest of the history is shown, as for any corrupt line.
   */
  @ParameterizedTest
  @CsvSource({"''", "--json", "--since=1d"})
  void aTimeOutOfRangeIsSkippedWithItsFileAndLine(String option) throws Exception {
    Files.writeString(file, Files.readString(file)
        + Files.readString(Path.of("src/test/resources/accounting/out-of-range-time.jsonl")));
    assertThat(option.isEmpty() ? run() : run(option)).isZero();
    assertThat(out.toString()).doesNotContain("1000000000");
    assertThat(out.toString().lines()).hasSizeGreaterThan(1);
    assertThat(err.toString())
        .isEqualTo("orphan-reaper history: skipped 1 corrupt line(s), the first at"
            + " accounting.jsonl:6: field 'time' is out of range:"
            + " '+1000000000-12-31T00:00:00Z' (years 0001 to 9999)\n");
  }

  /** Whatever else goes wrong is a bug, reported in one line: never a stack trace. */
  @Test
  void aBugIsOneLineAndExitsFour() {
    Clock broken = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public java.time.Instant instant() {
        throw new java.time.DateTimeException("no time");
      }
    };
    int code = HistoryCommand.run(new PrintWriter(out), new PrintWriter(err), file, broken);
    assertThat(code).isEqualTo(4);
    assertThat(err.toString()).isEqualTo(
        "orphan-reaper history: internal error: java.time.DateTimeException: no time\n");
  }

  @Test
  void noAccountingFileYetIsAnEmptyHistory() throws Exception {
    Files.delete(file);
    assertThat(run()).isZero();
    assertThat(out.toString()).isEqualTo("0 records, 0 families, 0 users\n");
  }

  @Test
  void anUnreadableFileExitsFour() throws Exception {
    Files.delete(file);
    Files.createDirectory(file);
    assertThat(run()).isEqualTo(4);
    assertThat(err.toString())
        .startsWith("orphan-reaper history: accounting: cannot read ")
        .hasLineCount(1);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFifoExitsFourAtOnce() throws Exception {
    Files.delete(file);
    special.fifo(file);
    assertThat(run()).isEqualTo(4);
    assertThat(err.toString())
        .isEqualTo("orphan-reaper history: accounting: cannot read " + file
            + ": it is a FIFO, not a regular file\n");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFileLargerThanAnyAccountingFileIsNotRead() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(AccountingReader.MAX_FILE_BYTES + 1); // sparse: no disk, all zeros
    }
    assertThat(run()).isEqualTo(4);
    assertThat(err.toString())
        .isEqualTo("orphan-reaper history: accounting: cannot read " + file
            + ": it is larger than 1 GiB, 64 times the size at which it is rotated; is it an"
            + " accounting file?\n");
  }

  /**
   * History streams: 64 MiB of records (more than 100,000) go through a JVM of 48 MiB of heap,
   * as a table and as JSON. Holding them all took about three times the file's size.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aHugeHistoryIsStreamed() throws Exception {
    String line = AccountingJson.line(HistoryTest.history().get(0)) + "\n";
    long n = (64L << 20) / line.length();
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (long i = 0; i < n; i++) {
        w.write(line);
      }
    }
    for (List<String> args : List.of(List.<String>of(), List.of("--json"))) {
      Path out = dir.resolve("out");
      List<String> cmd = new java.util.ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m",
          "-cp", System.getProperty("java.class.path"), "org.orphanreaper.cli.Main", "history",
          "--accounting", file.toString()));
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
          .redirectError(dir.resolve("err").toFile()).start();
      assertThat(p.waitFor(100, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(args + ": " + Files.readString(dir.resolve("err"))).isZero();
      if (args.isEmpty()) {
        try (var lines = Files.lines(out)) {
          assertThat(lines.reduce((a, b) -> b)).hasValue(n + " records, 1 family, 1 user");
        }
      } else {
        assertThat(Files.size(out)).isEqualTo(n * line.length());
      }
    }
  }
}
