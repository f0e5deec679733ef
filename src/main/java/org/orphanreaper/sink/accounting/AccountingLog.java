package org.orphanreaper.sink.accounting;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orphanreaper.base.IoProblem;
import org.orphanreaper.sink.files.RegularFile;

/**
 * The accounting file: one JSON line per process acted on, appended after every kill run, rotated
 * by size like logrotate ({@code accounting.jsonl} becomes {@code .1}, {@code .1} becomes {@code
 * .2}, up to {@code keep}; the oldest is dropped). Only root writes it, so it is created private.
 * Only a regular file is appended to: a FIFO hung the run, /dev/null swallowed the records, and a
 * symbolic link was written through.
 */
public final class AccountingLog {

  public static final Path DEFAULT_FILE = Path.of("/var/log/orphan-reaper/accounting.jsonl");

  /** 16 MiB is some 50,000 records: months of kills on a busy node. */
  public static final long DEFAULT_MAX_BYTES = 16L << 20;

  public static final int DEFAULT_KEEP = 5;

  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");

  private final Path file;
  private final long maxBytes;
  private final int keep;

  /**
   * @param maxBytes the size a file may reach before the next run's records go to a fresh one
   * @param keep how many rotated files to keep besides the current one (0: none)
   */
  public AccountingLog(Path file, long maxBytes, int keep) {
    if (maxBytes < 1 || keep < 0) {
      throw new IllegalArgumentException("maxBytes must be positive and keep not negative");
    }
    this.file = file.toAbsolutePath();
    this.maxBytes = maxBytes;
    this.keep = keep;
  }

  public Path file() {
    return file;
  }

  /** The n-th rotated file: {@code accounting.jsonl.n}. */
  static Path rotated(Path file, int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }

  /** The rotated files that exist, by number: the higher, the older. */
  static NavigableMap<Integer, Path> rotatedFiles(Path file) throws IOException {
    NavigableMap<Integer, Path> out = new TreeMap<>();
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    Pattern name =
        Pattern.compile(Pattern.quote(file.getFileName().toString()) + "\\.([1-9][0-9]{0,8})");
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        Matcher m = name.matcher(p.getFileName().toString());
        if (m.matches()) {
          out.put(Integer.parseInt(m.group(1)), p);
        }
      }
    }
    return out;
  }

  /**
   * Appends one line per record and syncs it to disk. Rotates first when these records would take a
   * non-empty file past maxBytes; a run bigger than maxBytes alone still goes whole into the fresh
   * file, since records are never split or dropped. When rotating fails the records are appended to
   * the current file anyway, and the exception says so.
   */
  public void append(List<AccountingRecord> records) throws AccountingException {
    if (records.isEmpty()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    for (AccountingRecord r : records) {
      b.append(AccountingJson.line(r)).append('\n');
    }
    byte[] batch = b.toString().getBytes(StandardCharsets.UTF_8);
    Path dir = file.getParent();
    try {
      createPrivateDirectory(dir);
    } catch (IOException e) {
      throw new AccountingException(
          "accounting: cannot create directory " + dir + ": " + IoProblem.describe(e), e);
    }
    IOException rotation = null;
    try {
      rotateIfFull(batch.length);
    } catch (IOException e) {
      rotation = e;
    }
    try {
      write(batch);
    } catch (IOException e) {
      throw new AccountingException(
          "accounting: cannot write " + file + ": " + IoProblem.describe(e), e);
    }
    if (rotation != null) {
      throw new AccountingException(
          "accounting: cannot rotate "
              + file
              + ": "
              + IoProblem.describe(rotation)
              + "; this run's records were appended to it",
          rotation);
    }
  }

  private static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    if (Files.exists(dir)) {
      throw new NotDirectoryException(dir.toString());
    }
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
    // The umask may have taken bits away: set the mode exactly, as for the file.
    Files.setPosixFilePermissions(dir, DIR_MODE);
  }

  private void rotateIfFull(long incoming) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return; // nothing to rotate; anything else in its place makes the write fail, and say why
    }
    long size = Files.size(file);
    if (size == 0 || size + incoming <= maxBytes) {
      return;
    }
    // Everything that would be shifted past keep goes, also files left by a larger keep before.
    for (Path old : rotatedFiles(file).tailMap(Math.max(keep, 1)).values()) {
      Files.delete(old);
    }
    for (int n = keep - 1; n >= 1; n--) {
      Path from = rotated(file, n);
      if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(from, rotated(file, n + 1), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    if (keep == 0) {
      Files.delete(file);
    } else {
      Files.move(file, rotated(file, 1), StandardCopyOption.ATOMIC_MOVE);
    }
    syncDirectory();
  }

  private void write(byte[] batch) throws IOException {
    boolean created = !RegularFile.exists(file);
    ByteBuffer buf = ByteBuffer.wrap(batch);
    if (!created && !endsWithNewline()) {
      // A crash tore the last line: start ours on a line of their own, so that only the torn
      // line is corrupt when the file is read back.
      buf = ByteBuffer.allocate(batch.length + 1).put((byte) '\n').put(batch).flip();
    }
    try (FileChannel ch =
        FileChannel.open(
            file,
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(FILE_MODE))) {
      if (created) {
        Files.setPosixFilePermissions(file, FILE_MODE);
      }
      long before = ch.size();
      try {
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      } catch (IOException e) {
        // A full disk takes part of a batch: cut it off again, so that the file holds whole
        // records only and the caller can say exactly which records were lost.
        try {
          ch.truncate(before);
        } catch (IOException again) {
          e.addSuppressed(again);
        }
        throw e;
      }
    }
    if (created) {
      syncDirectory();
    }
  }

  private boolean endsWithNewline() throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS)) {
      long size = ch.size();
      if (size == 0) {
        return true;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      ch.read(last, size - 1);
      return last.get(0) == '\n';
    }
  }

  /** Makes a created or renamed entry durable: fsync of the file alone does not. */
  private void syncDirectory() throws IOException {
    try (FileChannel ch = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
