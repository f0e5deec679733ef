package org.orphanreaper;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a file option may name besides a regular file, made inside a test's own temp dir: a FIFO,
 * a directory, a symbolic link to a regular file, a character device. The devices are made with
 * mknod (root only) as twins of /dev/null and /dev/zero: the tests point the reaper at them, never
 * at the node's own, so the host is left as it was found whatever the code under test does.
 *
 * <p>Registered as an extension ({@code @RegisterExtension final SpecialFiles special = new
 * SpecialFiles();}), it lets go, after each test, whoever is still blocked opening one of the
 * FIFOs it made: a test that hung there (and failed on its {@code @Timeout}) leaves no thread
 * stuck behind it.
 */
public final class SpecialFiles implements AfterEachCallback {

  /** The content of the regular file a {@link Kind#SYMLINK} points at. */
  public static final String PRECIOUS = "precious, not to be touched\n";

  private static final int S_IFMT = 0170000;
  private static final int S_IFIFO = 0010000;

  private final List<Path> fifos = new ArrayList<>();

  /** A kind of file that is not a regular one, and how the code under test names it. */
  public enum Kind {
    FIFO("a FIFO", S_IFIFO),
    DIRECTORY("a directory", 0040000),
    SYMLINK("a symbolic link", 0120000),
    CHAR_DEVICE("a character device", 0020000);

    private final String description;
    private final int type;

    Kind(String description, int type) {
      this.description = description;
      this.type = type;
    }

    /** "a FIFO", as in "it is a FIFO, not a regular file". */
    public String description() {
      return description;
    }

    /** Whether {@code p} is still what {@link #make} made, untouched. */
    public boolean isStill(Path p) throws IOException {
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || (mode(p) & S_IFMT) != type) {
        return false;
      }
      return switch (this) {
        case DIRECTORY -> {
          try (var s = Files.list(p)) {
            yield s.findAny().isEmpty();
          }
        }
        case SYMLINK -> Files.readString(precious(p)).equals(PRECIOUS);
        default -> true;
      };
    }
  }

  /** Makes one of {@code kind} at {@code p}; a link points at {@code p.precious}, a file. */
  public Path make(Kind kind, Path p) throws IOException, InterruptedException {
    switch (kind) {
      case FIFO -> fifo(p);
      case DIRECTORY -> Files.createDirectory(p);
      case SYMLINK -> Files.createSymbolicLink(p, Files.writeString(precious(p), PRECIOUS));
      case CHAR_DEVICE -> nullDevice(p);
    }
    return p;
  }

  public Path fifo(Path p) throws IOException, InterruptedException {
    run(true, "mkfifo", p.toString());
    fifos.add(p);
    return p;
  }

  /** A twin of /dev/null: reads nothing, swallows what is written. */
  public Path nullDevice(Path p) throws IOException, InterruptedException {
    return charDevice(p, 1, 3);
  }

  /** A twin of /dev/zero: reads zeros for ever. */
  public Path zeroDevice(Path p) throws IOException, InterruptedException {
    return charDevice(p, 1, 5);
  }

  private static Path charDevice(Path p, int major, int minor)
      throws IOException, InterruptedException {
    assumeTrue((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0,
        "mknod needs root; skipped");
    assumeTrue(run(false, "mknod", p.toString(), "c", Integer.toString(major),
        Integer.toString(minor)), "mknod failed (no CAP_MKNOD?); skipped");
    return p;
  }

  /**
   * Opening a FIFO for reading and writing never blocks on Linux and counts as both ends: whoever
   * waits in an open of the other end goes on (a reader to an empty end).
   */
  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    for (Path p : fifos) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && (mode(p) & S_IFMT) == S_IFIFO) {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
          // opened and closed: that is all it takes
        }
      }
    }
    fifos.clear();
  }

  private static Path precious(Path p) {
    return p.resolveSibling(p.getFileName() + ".precious");
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
  }

  /** Whether {@code cmd} succeeded; when {@code must}, a failure is an exception. */
  private static boolean run(boolean must, String... cmd)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    boolean ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    if (must && !ok) {
      throw new IOException(String.join(" ", cmd) + " failed");
    }
    return ok;
  }
}
