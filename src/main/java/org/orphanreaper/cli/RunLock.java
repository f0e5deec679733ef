package org.orphanreaper.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.orphanreaper.sink.files.RegularFile;

/**
 * Keeps two kill runs from overlapping (NHC had no such lock, mej/nhc #40): a slow run must not
 * meet the next cron run half-way through a family. The file is never deleted, because deleting
 * a lock file lets a third run lock a fresh inode while the second still holds the old one.
 * It is truncated and written, so it must be a regular file: a link was followed (and the file
 * it named truncated), a FIFO hung the run, a device was written to.
 */
final class RunLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * The lock, or empty when another run holds it.
   *
   * @throws org.orphanreaper.sink.files.NotRegularFileException when the file is something else
   *     than a regular file
   */
  static Optional<RunLock> tryAcquire(Path file) throws IOException {
    RegularFile.exists(file);
    // Read and write: were a FIFO put there after the look, an open for writing alone would wait
    // for a reader; one for both never waits.
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    try {
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        return Optional.empty();
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(
          (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
      return Optional.of(new RunLock(ch, l));
    } catch (OverlappingFileLockException e) {
      ch.close();
      return Optional.empty();
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
