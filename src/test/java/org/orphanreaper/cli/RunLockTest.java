package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.orphanreaper.SpecialFiles;

class RunLockTest {

  @TempDir Path dir;
  @RegisterExtension final SpecialFiles special = new SpecialFiles();

  @Test
  void aSecondHolderIsTurnedAwayUntilTheFirstLetsGo() throws Exception {
    Path lock = dir.resolve("orphan-reaper.lock");
    Optional<RunLock> first = RunLock.tryAcquire(lock);
    assertThat(first).isPresent();
    assertThat(Files.readString(lock)).isEqualTo(ProcessHandle.current().pid() + "\n");
    assertThat(RunLock.tryAcquire(lock)).isEmpty();
    first.get().close();
    Optional<RunLock> again = RunLock.tryAcquire(lock);
    assertThat(again).isPresent();
    again.get().close();
  }

  /**
   * A FIFO hung the run (an open for writing waits for a reader); a link was followed and the
   * file it named truncated; a device was written to.
   */
  @ParameterizedTest
  @EnumSource(SpecialFiles.Kind.class)
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void locksNothingButARegularFile(SpecialFiles.Kind kind) throws Exception {
    Path lock = dir.resolve("orphan-reaper.lock");
    special.make(kind, lock);
    assertThatThrownBy(() -> RunLock.tryAcquire(lock))
        .isInstanceOf(IOException.class)
        .hasMessage(lock + ": it is " + kind.description() + ", not a regular file");
    assertThat(kind.isStill(lock)).as("still " + kind.description()).isTrue();
  }
}
