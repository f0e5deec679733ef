package org.orphanreaper.report.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.orphanreaper.report.IoProblem;

/**
 * Writes the metrics file so that node_exporter never reads half of it: a temporary file in the
 * same directory (a rename is atomic only within one file system), synced, then renamed over the
 * target. The temporary name starts with a dot and does not end in ".prom", so the textfile
 * collector ignores it even while it exists.
 */
public final class MetricsFile {
  private MetricsFile() {}

  /**
   * Replaces {@code file} with {@code text}, readable by all (node_exporter does not run as root).
   * The directory must exist. The exception's message is one line.
   */
  public static void write(Path file, String text) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    } catch (IOException e) {
      throw failed(target, e);
    }
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the write already failed; that error is the one to report
      }
      throw failed(target, e);
    }
  }

  private static IOException failed(Path target, IOException e) {
    return new IOException("metrics: cannot write " + target + ": " + IoProblem.describe(e), e);
  }
}
