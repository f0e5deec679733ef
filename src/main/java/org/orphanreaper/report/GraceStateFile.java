package org.orphanreaper.report;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The first sightings of families in their grace, kept between runs (and reboots) in a small
 * text file: a header line, then {@code KEY EPOCH-SECONDS} per family. Written atomically (temp
 * file, fsync, rename). A file that cannot be read or trusted is reported and replaced: the
 * families are then first seen now, so a bad file never makes one eligible earlier.
 */
public final class GraceStateFile {

  public static final Path DEFAULT = Path.of("/var/lib/orphan-reaper/grace.state");
  private static final String HEADER = "# orphan-reaper grace state 1";

  private final Path file;

  public GraceStateFile(Path file) {
    this.file = file;
  }

  /** What was read, and why it could not be used, if so. */
  public record Loaded(Map<String, Instant> firstSeen, Optional<String> problem) {}

  /**
   * @param replacing whether the caller writes the state afterwards (kill mode), so that a
   *     corrupt one is said to be replaced; --debug and --explain only read it
   */
  public Loaded read(boolean replacing) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Loaded(Map.of(), Optional.empty());
    } catch (IOException e) {
      return new Loaded(Map.of(), Optional.of("cannot read grace state " + file + ": "
          + e.getMessage() + "; every family starts its grace now"));
    }
    Map<String, Instant> out = new HashMap<>();
    String[] lines = text.split("\n");
    if (lines.length == 0 || !lines[0].equals(HEADER)) {
      return corrupt(1, replacing);
    }
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(" ");
      if (lines[i].isEmpty()) {
        continue;
      }
      if (f.length != 2 || !f[0].matches("\\d+:\\d+:[A-Za-z0-9_.-]{1,64}")) {
        return corrupt(i + 1, replacing);
      }
      try {
        out.put(f[0], Instant.ofEpochSecond(Long.parseLong(f[1])));
      } catch (NumberFormatException | java.time.DateTimeException e) {
        return corrupt(i + 1, replacing);
      }
    }
    return new Loaded(out, Optional.empty());
  }

  private Loaded corrupt(int line, boolean replacing) {
    return new Loaded(Map.of(), Optional.of("grace state " + file + " is corrupt at line " + line
        + (replacing ? "; replaced, " : "; ") + "every family starts its grace now"));
  }

  public void write(Map<String, Instant> firstSeen) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    firstSeen.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
        b.append(e.getKey()).append(' ').append(e.getValue().getEpochSecond()).append('\n'));
    Path tmp = Files.createTempFile(dir, ".grace", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, b, StandardCharsets.UTF_8);
      try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        c.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
