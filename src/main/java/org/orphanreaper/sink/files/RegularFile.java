package org.orphanreaper.sink.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Whether a path holds a regular file, looked at without following a symbolic link there. Every
 * file the reaper reads or writes from an option must be a regular file or not exist yet: as
 * root, a rename over {@code --metrics /dev/null} replaced the node's /dev/null, opening a FIFO
 * waits for its other end for ever, a device can be read for ever, and a rename over a link
 * replaces the link instead of the file it names.
 */
public final class RegularFile {
  private RegularFile() {}

  /** File type bits of st_mode, for the kinds that BasicFileAttributes lumps together. */
  private static final int S_IFMT = 0170000;

  private static final int S_IFIFO = 0010000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFSOCK = 0140000;

  /**
   * True when {@code file} is a regular file, false when nothing is there.
   *
   * @throws NotRegularFileException when something else is there
   * @throws IOException when it cannot be looked at (a directory on the way that cannot be read)
   */
  public static boolean exists(Path file) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (a.isRegularFile()) {
      return true;
    }
    throw new NotRegularFileException(file, kind(file, a));
  }

  private static String kind(Path file, BasicFileAttributes a) {
    if (a.isSymbolicLink()) {
      return "a symbolic link";
    }
    if (a.isDirectory()) {
      return "a directory";
    }
    try {
      int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return switch (mode & S_IFMT) {
        case S_IFIFO -> "a FIFO";
        case S_IFCHR -> "a character device";
        case S_IFBLK -> "a block device";
        case S_IFSOCK -> "a socket";
        default -> "a special file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a special file"; // gone meanwhile, or no unix view: still not a regular file
    }
  }
}
