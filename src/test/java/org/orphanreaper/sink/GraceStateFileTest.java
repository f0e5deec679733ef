package org.orphanreaper.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.orphanreaper.SpecialFiles;

/**
 * The grace state read and written on its own. A state that cannot be read restarts every grace
 * (never shortens one), and a run never reads or replaces anything but a regular file.
 */
class GraceStateFileTest {

  @TempDir Path dir;
  @RegisterExtension final SpecialFiles special = new SpecialFiles();

  private Path file() {
    return dir.resolve("grace.state");
  }

  @Test
  void writesAndReadsBackManyFamilies() throws Exception {
    Map<String, Instant> state = new HashMap<>();
    for (int i = 0; i < 50_000; i++) {
      state.put("5001:" + (1_000_000 + i) + ":rule-" + (i % 7), Instant.ofEpochSecond(i));
    }
    new GraceStateFile(file()).write(state);
    GraceStateFile.Loaded back = new GraceStateFile(file()).read(true);
    assertThat(back.problem()).isEmpty();
    assertThat(back.firstSeen()).isEqualTo(state);
  }

  @Test
  void noFileIsNoSighting() {
    GraceStateFile.Loaded l = new GraceStateFile(file()).read(true);
    assertThat(l.firstSeen()).isEmpty();
    assertThat(l.problem()).isEmpty();
  }

  @Test
  void aCorruptFileRestartsEveryGrace() throws Exception {
    Files.writeString(file(), "# orphan-reaper grace state 1\n5001:1:r 10\nnonsense\n");
    GraceStateFile.Loaded l = new GraceStateFile(file()).read(true);
    assertThat(l.firstSeen()).isEmpty();
    assertThat(l.problem()).hasValue("grace cannot be counted: grace state " + file()
        + " is corrupt at line 3; replaced, every family starts its grace now");
  }

  /** What cannot be read; each once hung, exhausted or slowed a run. */
  enum Unreadable {
    FIFO("it is a FIFO, not a regular file"),
    ZEROS("it is a character device, not a regular file"),
    TOO_LARGE("it is larger than 16 MiB, and no grace state is (thousands of families take a few"
        + " hundred KiB)");

    final String reason;

    Unreadable(String reason) {
      this.reason = reason;
    }
  }

  @ParameterizedTest
  @EnumSource(Unreadable.class)
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFileThatCannotBeReadIsRefusedAtOnceAndRestartsEveryGrace(Unreadable what)
      throws Exception {
    switch (what) {
      case FIFO -> special.fifo(file());
      case ZEROS -> special.zeroDevice(file());
      case TOO_LARGE -> {
        try (RandomAccessFile f = new RandomAccessFile(file().toFile(), "rw")) {
          f.setLength(GraceStateFile.MAX_BYTES + 1); // sparse: no disk, all zeros
        }
      }
    }
    GraceStateFile.Loaded l = new GraceStateFile(file()).read(true);
    assertThat(l.firstSeen()).isEmpty();
    assertThat(l.problem()).hasValue("grace cannot be counted: cannot read " + file() + ": "
        + what.reason + "; every family starts its grace now");
  }

  @ParameterizedTest
  @EnumSource(SpecialFiles.Kind.class)
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void neverReplacesWhatIsNotARegularFile(SpecialFiles.Kind kind) throws Exception {
    special.make(kind, file());
    GraceStateFile state = new GraceStateFile(file());
    assertThatThrownBy(() -> state.write(Map.of("5001:1:r", Instant.ofEpochSecond(10))))
        .isInstanceOf(IOException.class)
        .hasMessage(file() + ": it is " + kind.description() + ", not a regular file");
    assertThat(kind.isStill(file())).as("still " + kind.description()).isTrue();
    assertThat(names()).allMatch(n -> n.startsWith("grace.state"));
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    }
  }
}
