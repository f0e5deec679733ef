package org.orphanreaper.sink.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.orphanreaper.SpecialFiles;

class AtomicReplacementTest {

  @TempDir Path dir;
  @RegisterExtension final SpecialFiles special = new SpecialFiles();

  private long entries() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void createsThenReplacesWithTheModeGivenAndLeavesNothingElse() throws Exception {
    Path f = dir.resolve("f");
    AtomicReplacement.replace(f, "one".getBytes(StandardCharsets.UTF_8),
        PosixFilePermissions.fromString("rw-r--r--"));
    AtomicReplacement.replace(f, "two".getBytes(StandardCharsets.UTF_8),
        PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(f)).isEqualTo("two");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
        .isEqualTo("rw-------");
    assertThat(entries()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(SpecialFiles.Kind.class)
  void replacesNothingButARegularFileAndLeavesNoTemporaryFile(SpecialFiles.Kind kind)
      throws Exception {
    Path p = special.make(kind, dir.resolve("p"));
    long before = entries();
    assertThatThrownBy(() -> AtomicReplacement.replace(p, new byte[] {'x'},
            PosixFilePermissions.fromString("rw-------")))
        .isInstanceOf(NotRegularFileException.class);
    assertThat(kind.isStill(p)).isTrue();
    assertThat(entries()).isEqualTo(before);
  }

  @Test
  void theDirectoryMustExist() {
    assertThatThrownBy(() -> AtomicReplacement.replace(dir.resolve("none/f"), new byte[0],
            PosixFilePermissions.fromString("rw-------")))
        .isInstanceOf(NoSuchFileException.class);
  }
}
