package org.orphanreaper.sink.files;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A regular file opened for reading, no larger than its reader expects: a FIFO as the grace state
 * hung the run, /dev/zero exhausted its memory, and a 50 MB state took 13 s and 1.35 GB. The file
 * is refused unless it is a regular file (a symbolic link included), opened without following a
 * link, and read only up to the size the open file had: fstat gives FIFOs and devices a size of
 * 0, so even one swapped in between the look and the open yields nothing, and a file that grows
 * while it is read is read as it was. (That swap could still make the open itself wait, for a
 * FIFO; Java cannot open with O_NONBLOCK. Only whoever can write the directory can make it, and
 * they could as well write the file.) Every {@link #read} starts at the beginning again and sees
 * the same bytes, so a reader can go over the file twice without holding it in memory.
 */
public final class BoundedFile implements AutoCloseable {

  /** The file is larger than its reader accepts; the reason says why that is wrong. */
  public static final class TooLargeException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    TooLargeException(Path file, long maxBytes, String why) {
      super(file.toString(), null, "it is larger than " + size(maxBytes) + ", " + why);
    }
  }

  private static final int BUFFER = 64 << 10;

  private final FileChannel channel;
  private final long size;

  private BoundedFile(FileChannel channel, long size) {
    this.channel = channel;
    this.size = size;
  }

  /**
   * Opens {@code file}.
   *
   * @param maxBytes the largest size accepted
   * @param why what a larger file means, after "it is larger than 16 MiB, ": e.g. "and no grace
   *     state is"
   * @throws NoSuchFileException when there is no such file
   * @throws NotRegularFileException when it is something else than a regular file
   * @throws TooLargeException when it is larger than {@code maxBytes}
   */
  public static BoundedFile open(Path file, long maxBytes, String why) throws IOException {
    if (!RegularFile.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    try {
      long size = ch.size();
      if (size > maxBytes) {
        throw new TooLargeException(file, maxBytes, why);
      }
      return new BoundedFile(ch, size);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  /** The file from its beginning, up to the size it had when it was opened. */
  public InputStream read() {
    return new BufferedInputStream(new Window(), BUFFER);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** "16 MiB": sizes of whole units, as the limits are. */
  static String size(long bytes) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (u < units.length - 1 && bytes >= 1024 && bytes % 1024 == 0) {
      bytes /= 1024;
      u++;
    }
    return bytes + " " + units[u];
  }

  /** Positional reads, which leave the channel's position alone: each stream has its own. */
  private final class Window extends InputStream {
    private long at;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      long left = size - at;
      if (left <= 0) {
        return -1;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)), at);
      if (n > 0) {
        at += n;
      }
      return n < 0 ? -1 : n; // shorter than it was (truncated): its end
    }
  }
}
