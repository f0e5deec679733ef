package org.orphanreaper.report.accounting;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.orphanreaper.report.IoProblem;

/**
 * Reads the accounting file back, rotated files included, oldest first. A line that is not one
 * well-formed record (torn by a crash, edited by hand, not UTF-8) is skipped and counted, never
 * fatal: the rest of the history is still worth showing.
 */
public final class AccountingReader {

  /** Longer lines are corrupt: a record with a bounded cmdline is a few KiB at most. */
  static final int MAX_LINE_BYTES = 1 << 20;

  private final Path file;

  public AccountingReader(Path file) {
    this.file = file.toAbsolutePath();
  }

  /**
   * What was read.
   *
   * @param records every well-formed record, oldest file first, in file order within a file
   * @param corruptLines how many non-blank lines were skipped
   * @param firstCorrupt where and why the first skipped line was, e.g. {@code
   *     accounting.jsonl.1:17: missing field 'pid'}
   */
  public record Contents(
      List<AccountingRecord> records, int corruptLines, Optional<String> firstCorrupt) {
    public Contents {
      records = List.copyOf(records);
    }
  }

  /** Reads every file; a missing file is an empty history, an unreadable one an error. */
  public Contents read() throws AccountingException {
    List<Path> files = new ArrayList<>();
    try {
      files.addAll(AccountingLog.rotatedFiles(file).descendingMap().values());
    } catch (IOException e) {
      throw new AccountingException(
          "accounting: cannot list " + file.getParent() + ": " + IoProblem.describe(e), e);
    }
    files.add(file);
    Tally t = new Tally();
    for (Path p : files) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(p))) {
        readLines(p, in, t);
      } catch (NoSuchFileException e) {
        // not written yet, or rotated away while we listed: nothing to read
      } catch (IOException e) {
        throw new AccountingException(
            "accounting: cannot read " + p + ": " + IoProblem.describe(e), e);
      }
    }
    return new Contents(t.records, t.corrupt, Optional.ofNullable(t.firstCorrupt));
  }

  /** What the lines read so far gave. */
  private static final class Tally {
    final List<AccountingRecord> records = new ArrayList<>();
    int corrupt;
    String firstCorrupt;

    void skip(Path p, long lineNo, String why) {
      corrupt++;
      if (firstCorrupt == null) {
        firstCorrupt = p.getFileName() + ":" + lineNo + ": " + why;
      }
    }
  }

  private static void readLines(Path p, InputStream in, Tally t) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean tooLong = false;
    long lineNo = 0;
    int c;
    do {
      c = in.read();
      if (c != '\n' && c != -1) {
        if (line.size() < MAX_LINE_BYTES) {
          line.write(c);
        } else {
          tooLong = true;
        }
        continue;
      }
      if (c == -1 && line.size() == 0 && !tooLong) {
        break;
      }
      lineNo++;
      if (tooLong) {
        t.skip(p, lineNo, "longer than " + MAX_LINE_BYTES + " bytes");
      } else {
        parse(p, lineNo, line.toByteArray(), t);
      }
      line.reset();
      tooLong = false;
    } while (c != -1);
  }

  private static void parse(Path p, long lineNo, byte[] bytes, Tally t) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      t.skip(p, lineNo, "not UTF-8");
      return;
    }
    if (text.isBlank()) {
      return;
    }
    try {
      t.records.add(AccountingJson.parse(text));
    } catch (JsonParser.MalformedException e) {
      t.skip(p, lineNo, e.getMessage());
    }
  }
}
