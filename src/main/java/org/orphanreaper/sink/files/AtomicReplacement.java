package org.orphanreaper.sink.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a regular file in one rename, so that a reader sees the old content or the new, never
 * part of it, and a crash leaves one of the two. The new content goes to a temporary file in the
 * same directory (a rename is atomic only within one file system), created with O_EXCL under a
 * random name (so it never opens what someone put there, a link included), private until it is
 * complete, synced before the rename, and the directory synced after it. The rename replaces
 * whatever has the name: so the target must be a regular file or absent, never a device, FIFO,
 * directory, socket or symbolic link (it would replace the link, not the file it names).
 */
public final class AtomicReplacement {
  private AtomicReplacement() {}

  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rw-------");

  /**
   * Makes {@code target} hold {@code content}, with mode {@code mode}. Its directory must exist.
   * The temporary file is named {@code .NAME.RANDOM.tmp}: hidden, and not ending like the target
   * (node_exporter's textfile collector reads only names ending in ".prom").
   *
   * @throws NotRegularFileException when the target is something else than a regular file
   */
  public static void replace(Path target, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    Path file = target.toAbsolutePath();
    Path dir = file.getParent();
    RegularFile.exists(file);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp",
        PosixFilePermissions.asFileAttribute(PRIVATE));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.setPosixFilePermissions(tmp, mode);
      // Again just before the rename: writing may have taken a while.
      RegularFile.exists(file);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the write already failed; that error is the one to report
      }
      throw e;
    }
  }
}
