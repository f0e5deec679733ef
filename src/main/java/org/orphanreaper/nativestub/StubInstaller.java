package org.orphanreaper.nativestub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.orphanreaper.base.IoProblem;

/**
 * Extracts jffi's native stub for this node into a directory, once: {@code StubInstaller DIR}.
 * The packages' install scripts run it (through {@code ORPHAN_REAPER_NATIVE=make
 * /usr/sbin/orphan-reaper}) into {@code /usr/lib/orphan-reaper/native}, whence every run loads it
 * (see {@link NativeStub}); a checkout's launcher into {@code target/native}.
 *
 * <p>jffi does the extraction itself, so the stub is the one of the jar for this node's CPU, and
 * loads it, so a stub that cannot be loaded here (a noexec mount, a foreign CPU) fails the
 * install instead of every run. It goes to a staging directory beside the target and is renamed
 * over the old one: a run never sees half a file. Prints nothing and exits 0 when done; else one
 * line on stderr, exit 1.
 */
public final class StubInstaller {

  private StubInstaller() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: StubInstaller DIR");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    try {
      install(dir);
    } catch (IOException e) {
      System.err.println("orphan-reaper: cannot extract the native stub into " + dir + ": "
          + IoProblem.describe(e));
      System.exit(1);
    }
  }

  /** Extracts, loads and installs the stub as {@code dir/}{@link NativeStub#FILE_NAME}. */
  static void install(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
    Path staging = Files.createTempDirectory(dir, ".staging-");
    Path extracted = staging.resolve(NativeStub.FILE_NAME);
    try {
      // jffi reads these when its loader first runs, in problem() below: extract into the
      // staging directory under the stub's own name (kept, not deleted after loading), and find
      // no stub elsewhere first (an old one in a boot path, a system libjffi on the library
      // path), or nothing would be extracted.
      System.setProperty("jffi.extract.dir", staging.toString());
      System.setProperty("jffi.extract.name", NativeStub.FILE_NAME);
      System.clearProperty(NativeStub.BOOT_PATH);
      System.setProperty("java.library.path", staging.toString());
      Optional<String> problem = new NativeStub(Optional.empty()).problem();
      if (problem.isPresent()) {
        throw new IOException(problem.get());
      }
      if (!Files.isRegularFile(extracted)) {
        throw new IOException("jffi loaded a stub without extracting one");
      }
      Files.setPosixFilePermissions(extracted, PosixFilePermissions.fromString("rw-r--r--"));
      try (FileChannel c = FileChannel.open(extracted, StandardOpenOption.WRITE)) {
        c.force(true);
      }
      Files.move(extracted, dir.resolve(NativeStub.FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(extracted);
      Files.deleteIfExists(staging);
    }
  }
}
