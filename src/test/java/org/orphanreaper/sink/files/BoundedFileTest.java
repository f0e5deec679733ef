package org.orphanreaper.sink.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.SpecialFiles;

class BoundedFileTest {

  @TempDir Path dir;
  @RegisterExtension final SpecialFiles special = new SpecialFiles();

  private static String all(BoundedFile f) throws Exception {
    try (InputStream in = f.read()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void everyReadStartsOverAndStopsWhereTheFileEndedWhenOpened() throws Exception {
    Path p = Files.writeString(dir.resolve("f"), "one\ntwo\n");
    try (BoundedFile f = BoundedFile.open(p, 100, "too big")) {
      assertThat(all(f)).isEqualTo("one\ntwo\n");
      Files.writeString(p, "three\n", StandardOpenOption.APPEND);
      assertThat(all(f)).isEqualTo("one\ntwo\n");
      try (InputStream a = f.read(); InputStream b = f.read()) {
        assertThat(a.read()).isEqualTo('o');
        assertThat(b.read()).isEqualTo('o'); // each stream has its own position
        assertThat(a.read()).isEqualTo('n');
      }
    }
  }

  @Test
  void aFileTruncatedWhileReadEndsThere() throws Exception {
    Path p = Files.writeString(dir.resolve("f"), "0123456789");
    try (BoundedFile f = BoundedFile.open(p, 100, "too big")) {
      Files.writeString(p, "01234");
      assertThat(all(f)).isEqualTo("01234");
    }
  }

  @Test
  void aFileOfTheBoundIsReadOneByteMoreIsRefusedWithTheReason() throws Exception {
    Path p = Files.writeString(dir.resolve("f"), "x".repeat(2048));
    try (BoundedFile f = BoundedFile.open(p, 2048, "unused")) {
      assertThat(all(f)).hasSize(2048);
    }
    assertThatThrownBy(() -> BoundedFile.open(p, 2047, "and nothing is"))
        .isInstanceOf(BoundedFile.TooLargeException.class)
        .hasMessage(p + ": it is larger than 2047 bytes, and nothing is");
    assertThatThrownBy(() -> BoundedFile.open(p, 1024, "and nothing is"))
        .hasMessage(p + ": it is larger than 1 KiB, and nothing is");
  }

  @Test
  void sizesAreSaidInTheirLargestWholeUnit() {
    assertThat(BoundedFile.size(16L << 20)).isEqualTo("16 MiB");
    assertThat(BoundedFile.size(1L << 30)).isEqualTo("1 GiB");
    assertThat(BoundedFile.size(1536)).isEqualTo("1536 bytes");
    assertThat(BoundedFile.size(0)).isEqualTo("0 bytes");
  }

  @Test
  void nothingThereIsNoSuchFile() {
    assertThatThrownBy(() -> BoundedFile.open(dir.resolve("none"), 10, "x"))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    Path p = special.fifo(dir.resolve("fifo"));
    assertThatThrownBy(() -> BoundedFile.open(p, 10, "x"))
        .isInstanceOf(NotRegularFileException.class)
        .hasMessage(p + ": it is a FIFO, not a regular file");
  }
}
