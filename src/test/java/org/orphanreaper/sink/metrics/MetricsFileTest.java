package org.orphanreaper.sink.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.orphanreaper.SpecialFiles;

class MetricsFileTest {

  @TempDir Path dir;
  @RegisterExtension final SpecialFiles special = new SpecialFiles();

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesReplacesAndLeavesOnlyTheTargetReadableByAll() throws Exception {
    Path target = dir.resolve("orphan_reaper.prom");
    MetricsFile.write(target, "a 1\n");
    MetricsFile.write(target, "a 2\n");
    assertThat(Files.readString(target)).isEqualTo("a 2\n");
    assertThat(names()).containsExactly("orphan_reaper.prom");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void theTemporaryFileIsInTheSameDirectoryHiddenFromTheCollectorAndGoneAfterwards()
      throws Exception {
    Path target = dir.resolve("orphan_reaper.prom");
    List<String> created = new ArrayList<>();
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      WatchKey key =
          dir.register(
              watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
      MetricsFile.write(target, "a 1\n");
      // The events arrive from a background thread: collect until the target's has come.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!created.contains("orphan_reaper.prom") && System.nanoTime() < deadline) {
        WatchKey k = watch.poll(100, TimeUnit.MILLISECONDS);
        if (k == null) {
          continue;
        }
        assertThat(k).isSameAs(key);
        for (WatchEvent<?> e : k.pollEvents()) {
          if (e.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
            created.add(e.context().toString());
          }
        }
        k.reset();
      }
    }
    // inotify reports the rename to the target as its creation: the temporary file came first.
    assertThat(created).hasSize(2).last().isEqualTo("orphan_reaper.prom");
    assertThat(created.get(0)).startsWith(".orphan_reaper.prom.").endsWith(".tmp");
    assertThat(names()).containsExactly("orphan_reaper.prom");
  }

  @Test
  void aReaderNeverSeesAPartialFile() throws Exception {
    Path target = dir.resolve("m.prom");
    String a = "a 1\n".repeat(200_000);
    String b = "b 2\n".repeat(150_000);
    MetricsFile.write(target, a);
    AtomicBoolean done = new AtomicBoolean();
    List<String> torn = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              while (!done.get()) {
                try {
                  String s = Files.readString(target);
                  if (!s.equals(a) && !s.equals(b)) {
                    torn.add(s.length() + " chars");
                  }
                } catch (IOException e) {
                  torn.add(e.toString());
                }
              }
            });
    reader.start();
    try {
      for (int i = 0; i < 40; i++) {
        MetricsFile.write(target, i % 2 == 0 ? b : a);
      }
    } finally {
      done.set(true);
      reader.join(10_000);
    }
    assertThat(torn).isEmpty();
  }

  @Test
  void aFailedRenameLeavesNoTemporaryFileAndSaysWhyInOneLine() throws Exception {
    Path target = dir.resolve("m.prom");
    Files.createDirectories(target.resolve("busy"));
    assertThatThrownBy(() -> MetricsFile.write(target, "a 1\n"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("metrics: cannot write " + target + ": ")
        .hasMessageNotContaining("\n");
    assertThat(names()).containsExactly("m.prom");
  }

  @Test
  void aMissingDirectoryIsAnError() {
    Path target = dir.resolve("none/m.prom");
    assertThatThrownBy(() -> MetricsFile.write(target, "a 1\n"))
        .isInstanceOf(IOException.class)
        .hasCauseInstanceOf(NoSuchFileException.class)
        .hasMessage("metrics: cannot write " + target + ": no such file or directory");
  }

  /** --metrics /dev/null as root replaced the node's /dev/null with a regular file. */
  @ParameterizedTest
  @EnumSource(SpecialFiles.Kind.class)
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void neverReplacesWhatIsNotARegularFile(SpecialFiles.Kind kind) throws Exception {
    Path target = special.make(kind, dir.resolve("m.prom"));
    assertThatThrownBy(() -> MetricsFile.write(target, "a 1\n"))
        .isInstanceOf(IOException.class)
        .hasMessage("metrics: cannot write " + target + ": it is " + kind.description()
            + ", not a regular file");
    assertThat(kind.isStill(target)).as("still " + kind.description()).isTrue();
    assertThat(names()).allMatch(n -> n.startsWith("m.prom"));
  }
}
