package org.orphanreaper.sink.accounting;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.orphanreaper.base.IoProblem;
import org.orphanreaper.sink.files.BoundedFile;

/**
 * Reads the accounting file back, rotated files included, oldest first, one record at a time:
 * nothing holds the whole history, however long it is. A line that is not one well-formed record
 * (torn by a crash, edited by hand, not UTF-8) is skipped and counted, never fatal: the rest of
 * the history is still worth showing. A file that is not a regular file (a FIFO hung history) or
 * is larger than any accounting file is refused.
 */
public final class AccountingReader {

  /** Longer lines are corrupt: a record with a bounded cmdline is a few KiB at most. */
  static final int MAX_LINE_BYTES = 1 << 20;

  /**
   * A file is rotated at 16 MiB, or holds one run past that; 1 GiB is 64 times that, years of a
   * busy node's kills even if rotation kept failing. A larger file is something else.
   */
  public static final long MAX_FILE_BYTES = 1L << 30;

  private static final String TOO_LARGE =
      "64 times the size at which it is rotated; is it an accounting file?";

  private final Path file;

  public AccountingReader(Path file) {
    this.file = file.toAbsolutePath();
  }

  /**
   * What a pass skipped.
   *
   * @param corruptLines how many non-blank lines were skipped
   * @param firstCorrupt where and why the first skipped line was, e.g. {@code
   *     accounting.jsonl.1:17: missing field 'pid'}
   */
  public record Skipped(int corruptLines, Optional<String> firstCorrupt) {}

  /**
   * Opens every file there is; a missing file is an empty history, one that cannot be opened (or
   * is not a regular file, or is too large) an error.
   */
  public Opened open() throws AccountingException {
    List<Path> paths = new ArrayList<>();
    try {
      paths.addAll(AccountingLog.rotatedFiles(file).descendingMap().values());
    } catch (IOException e) {
      throw new AccountingException(
          "accounting: cannot list " + file.getParent() + ": " + IoProblem.describe(e), e);
    }
    paths.add(file);
    List<OpenFile> files = new ArrayList<>();
    for (Path p : paths) {
      try {
        files.add(new OpenFile(p, BoundedFile.open(p, MAX_FILE_BYTES, TOO_LARGE)));
      } catch (NoSuchFileException e) {
        // not written yet, or rotated away while we listed: nothing to read
      } catch (IOException e) {
        new Opened(files).close();
        throw unreadable(p, e);
      }
    }
    return new Opened(files);
  }

  private record OpenFile(Path path, BoundedFile content) {}

  private static AccountingException unreadable(Path p, IOException e) {
    return new AccountingException(
        "accounting: cannot read " + p + ": " + IoProblem.describe(e), e);
  }

  /**
   * The files as they were opened: every pass reads the same bytes, even while a run appends to
   * them or rotates them, so a reader can go over them twice (to size a table's columns, then to
   * print it) instead of holding the records.
   */
  public static final class Opened implements AutoCloseable {
    private final List<OpenFile> files;
    private Skipped skipped = new Skipped(0, Optional.empty());

    private Opened(List<OpenFile> files) {
      this.files = List.copyOf(files);
    }

    /** Hands every well-formed record to {@code each}, oldest file first, in file order. */
    public void forEach(Consumer<AccountingRecord> each) throws AccountingException {
      Tally t = new Tally(each);
      for (OpenFile f : files) {
        try (InputStream in = f.content().read()) {
          readLines(f.path(), in, t);
        } catch (IOException e) {
          throw unreadable(f.path(), e);
        }
      }
      skipped = new Skipped(t.corrupt, Optional.ofNullable(t.firstCorrupt));
    }

    /** What the last pass skipped (every pass skips the same). */
    public Skipped skipped() {
      return skipped;
    }

    @Override
    public void close() {
      for (OpenFile f : files) {
        try {
          f.content().close();
        } catch (IOException e) {
          // read only: nothing is lost when closing fails
        }
      }
    }
  }

  /** Where the records of a pass go, and what it skipped. */
  private static final class Tally {
    final Consumer<AccountingRecord> each;
    int corrupt;
    String firstCorrupt;

    Tally(Consumer<AccountingRecord> each) {
      this.each = each;
    }

    void skip(Path p, long lineNo, String why) {
      corrupt++;
      if (firstCorrupt == null) {
        firstCorrupt = p.getFileName() + ":" + lineNo + ": " + why;
      }
    }
  }

  /** Splits {@code in} into lines, a buffer at a time (a byte at a time took seconds a file). */
  private static void readLines(Path p, InputStream in, Tally t) throws IOException {
    byte[] buf = new byte[64 << 10];
    Line line = new Line();
    long lineNo = 0;
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (buf[i] == '\n') {
          line.add(buf, start, i - start);
          line.end(p, ++lineNo, t);
          start = i + 1;
        }
      }
      line.add(buf, start, n - start);
    }
    if (!line.isEmpty()) {
      line.end(p, ++lineNo, t); // a last line without its line feed
    }
  }

  /** The line being read: its first MAX_LINE_BYTES bytes, and whether there were more. */
  private static final class Line {
    private byte[] bytes = new byte[256];
    private int size;
    private boolean tooLong;

    void add(byte[] b, int off, int len) {
      int keep = Math.min(len, MAX_LINE_BYTES - size);
      tooLong |= keep < len;
      if (size + keep > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.min(MAX_LINE_BYTES,
            Math.max(size + keep, 2 * bytes.length)));
      }
      System.arraycopy(b, off, bytes, size, keep);
      size += keep;
    }

    boolean isEmpty() {
      return size == 0 && !tooLong;
    }

    void end(Path p, long lineNo, Tally t) {
      if (tooLong) {
        t.skip(p, lineNo, "longer than " + MAX_LINE_BYTES + " bytes");
      } else {
        parse(p, lineNo, bytes, size, t);
      }
      size = 0;
      tooLong = false;
    }
  }

  private static void parse(Path p, long lineNo, byte[] bytes, int size, Tally t) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes, 0, size))
              .toString();
    } catch (CharacterCodingException e) {
      t.skip(p, lineNo, "not UTF-8");
      return;
    }
    if (text.isBlank()) {
      return;
    }
    AccountingRecord r;
    try {
      r = AccountingJson.parse(text);
    } catch (JsonParser.MalformedException e) {
      t.skip(p, lineNo, e.getMessage());
      return;
    }
    t.each.accept(r);
  }
}
