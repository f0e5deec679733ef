package org.orphanreaper.sink;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.orphanreaper.base.IoProblem;
import org.orphanreaper.sink.files.AtomicReplacement;
import org.orphanreaper.sink.files.BoundedFile;

/**
 * The first sightings of families in their grace, kept between runs (and reboots) in a small
 * text file: a header line, then {@code KEY EPOCH-SECONDS} per family. Replaced atomically
 * ({@link AtomicReplacement}), and only ever a regular file. A file that cannot be read or
 * trusted is reported (and, being a regular file, replaced): the families are then first seen
 * now, so a bad file never makes one eligible earlier.
 */
public final class GraceStateFile {

  public static final Path DEFAULT = Path.of("/var/lib/orphan-reaper/grace.state");

  /**
   * A line is at most some 100 bytes (uid, start time, a rule name of up to 64 characters, epoch
   * seconds): thousands of families take a few hundred KiB, and 16 MiB holds over 160,000. The
   * file is read line by line, never whole, so one this size costs its map, not its text.
   */
  public static final long MAX_BYTES = 16L << 20;

  private static final String TOO_LARGE =
      "and no grace state is (thousands of families take a few hundred KiB)";
  private static final String HEADER = "# orphan-reaper grace state 1";
  private static final Pattern KEY = Pattern.compile("\\d+:\\d+:[A-Za-z0-9_.-]{1,64}");
  private static final String WHAT_IT_MEANS = "every family starts its grace now";

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
    try (BoundedFile f = BoundedFile.open(file, MAX_BYTES, TOO_LARGE);
        BufferedReader in = new BufferedReader(new InputStreamReader(f.read(),
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
      return parse(in, replacing);
    } catch (NoSuchFileException e) {
      return new Loaded(Map.of(), Optional.empty());
    } catch (CharacterCodingException e) {
      return problem("grace state " + file + " is not UTF-8 text; " + (replacing ? "replaced, "
          : "") + WHAT_IT_MEANS);
    } catch (IOException e) {
      return problem("cannot read " + file + ": " + IoProblem.describe(e) + "; " + WHAT_IT_MEANS);
    }
  }

  private Loaded parse(BufferedReader in, boolean replacing) throws IOException {
    if (!HEADER.equals(in.readLine())) {
      return corrupt(1, replacing);
    }
    Map<String, Instant> out = new HashMap<>();
    int lineNo = 1;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      int space = line.indexOf(' ');
      if (space < 0) {
        return corrupt(lineNo, replacing);
      }
      String key = line.substring(0, space);
      String epoch = line.substring(space + 1);
      if (!KEY.matcher(key).matches()) {
        return corrupt(lineNo, replacing);
      }
      try {
        out.put(key, Instant.ofEpochSecond(Long.parseLong(epoch)));
      } catch (NumberFormatException | DateTimeException e) {
        return corrupt(lineNo, replacing);
      }
    }
    return new Loaded(out, Optional.empty());
  }

  private Loaded corrupt(int line, boolean replacing) {
    return problem("grace state " + file + " is corrupt at line " + line
        + (replacing ? "; replaced, " : "; ") + WHAT_IT_MEANS);
  }

  /** Every problem says first what it means for the run: no grace is counted from it. */
  private static Loaded problem(String what) {
    return new Loaded(Map.of(), Optional.of("grace cannot be counted: " + what));
  }

  /**
   * Replaces the file with {@code firstSeen}, creating its directory (private) if need be.
   *
   * @throws org.orphanreaper.sink.files.NotRegularFileException when the file is something
   *     else than a regular file
   */
  public void write(Map<String, Instant> firstSeen) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    firstSeen.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
        b.append(e.getKey()).append(' ').append(e.getValue().getEpochSecond()).append('\n'));
    AtomicReplacement.replace(file, b.toString().getBytes(StandardCharsets.UTF_8),
        PosixFilePermissions.fromString("rw-------"));
  }
}
