package org.orphanreaper.nativestub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pre-extracted stub that is not there or not a library is named, and jffi never asked. */
class NativeStubTest {

  @TempDir Path dir;

  @Test
  void theStubIsJffisStubApiVersion() {
    assertThat(NativeStub.FILE_NAME).isEqualTo("libjffi-1.2.so");
  }

  @Test
  void aMissingStubIsNamed() {
    assertThat(new NativeStub(Optional.of(dir)).problem())
        .contains("the native stub " + dir.resolve("libjffi-1.2.so") + " is missing");
  }

  @Test
  void aDirectoryInItsPlaceIsNotAStub() throws IOException {
    Files.createDirectory(dir.resolve("libjffi-1.2.so"));

    assertThat(new NativeStub(Optional.of(dir)).problem())
        .contains("the native stub " + dir.resolve("libjffi-1.2.so") + " is not a file");
  }

  @Test
  void aFileThatIsNoLibraryCannotBeLoadedAndSaysWhyOnce() throws IOException {
    Path file = dir.resolve("libjffi-1.2.so");
    Files.writeString(file, "truncated by a full disk");

    String problem = new NativeStub(Optional.of(dir)).problem().orElseThrow();

    assertThat(problem).startsWith("the native stub " + file + " cannot be loaded: ")
        .containsOnlyOnce(file.toString()).doesNotContain("\n");
  }

  @Test
  void jffisFailureIsItsMessageAndTheRootCause() {
    // As jffi 1.4 wraps a stub it could not write into jffi.extract.dir.
    Throwable t = new UnsatisfiedLinkError("could not load jffi library from /var/lib/x");
    t.initCause(new IOException("Unable to write jffi binary stub to `/tmp`. Set `TMPDIR`...",
        new IOException("No space left on device")));

    assertThat(NativeStub.reason(t))
        .isEqualTo("could not load jffi library from /var/lib/x: No space left on device");
    assertThat(NativeStub.reason(new UnsatisfiedLinkError("one\ntwo"))).isEqualTo("one");
    assertThat(NativeStub.reason(null)).isEqualTo("no reason given");
  }

  @Test
  void theJvmsStubIsTheBootPathProperty() {
    assertThat(NativeStub.ofThisJvm().dir())
        .isEqualTo(Optional.ofNullable(System.getProperty(NativeStub.BOOT_PATH)).map(Path::of));
  }
}
