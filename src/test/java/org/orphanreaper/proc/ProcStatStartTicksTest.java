package org.orphanreaper.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.act.SpawnedProcess;

class ProcStatStartTicksTest {

  /** A stat line as the kernel writes it, with the given comm and starttime (field 22). */
  private static String statLine(int pid, String comm, char state, long startTicks) {
    return pid
        + " ("
        + comm
        + ") "
        + state
        + " 1 1234 1234 0 -1 4194560 153 0 0 0 12 3 0 0 20 0 1 0 "
        + startTicks
        + " 8392704 213 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
  }

  @Test
  void parsesTheTwentySecondField() {
    assertThat(ProcStatStartTicks.parse(statLine(4242, "sleep", 'S', 987654321L)))
        .isEqualTo(987654321L);
  }

  @Test
  void countsFieldsAfterTheLastParenthesis() {
    // Any user can name a process like this; a first-')' parser would read field 21 or worse.
    String hostile = "a) S 1 2 3 (b) ) Z 9";
    assertThat(ProcStatStartTicks.parse(statLine(77, hostile, 'S', 5555L))).isEqualTo(5555L);
    assertThat(ProcStatStartTicks.parse(statLine(77, ")", 'R', 6L))).isEqualTo(6L);
    assertThat(ProcStatStartTicks.parse(statLine(77, "", 'R', 7L))).isEqualTo(7L);
    assertThat(ProcStatStartTicks.parse(statLine(77, "two  spaces\n", 'R', 8L))).isEqualTo(8L);
  }

  @Test
  void aZombieStillHasItsStartTime() {
    assertThat(ProcStatStartTicks.parse(statLine(9, "defunct", 'Z', 31337L))).isEqualTo(31337L);
  }

  @Test
  void rejectsWhatIsNotAStatLine() {
    assertThatThrownBy(() -> ProcStatStartTicks.parse("no parenthesis 1 2 3"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcStatStartTicks.parse("1 (short) S 1 2 3"))
        .isInstanceOf(IllegalArgumentException.class);
    String badNumber = statLine(1, "x", 'S', 1L).replace(" 1 8392704", " x 8392704");
    assertThatThrownBy(() -> ProcStatStartTicks.parse(badNumber))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsBelowTheGivenRoot(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("123"));
    Files.writeString(
        proc.resolve("123/stat"), statLine(123, "x) y", 'S', 4711L), StandardCharsets.ISO_8859_1);

    ProcStatStartTicks reader = new ProcStatStartTicks(proc);

    assertThat(reader.apply(123)).isEqualTo(OptionalLong.of(4711L));
  }

  @Test
  void aMissingProcessIsEmpty(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("124"));
    ProcStatStartTicks reader = new ProcStatStartTicks(proc);

    assertThat(reader.apply(123)).isEmpty();
    assertThat(reader.apply(124)).as("directory without stat").isEmpty();
    assertThat(reader.apply(0)).isEmpty();
    assertThat(reader.apply(-1)).isEmpty();
  }

  @Test
  void anUnreadableStatOfAPresentProcessIsAnErrorNotGone(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("125/stat"));

    assertThatThrownBy(() -> new ProcStatStartTicks(proc).apply(125))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void agreesWithTheJdkOnALiveProcess() throws Exception {
    // The JDK computes a process's start instant as btime + starttime / CLK_TCK (100 on Linux).
    long bootMillis = 0;
    for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
      if (line.startsWith("btime ")) {
        bootMillis = Long.parseLong(line.substring(6).trim()) * 1000;
      }
    }
    try (SpawnedProcess sleep = SpawnedProcess.sleeper()) {
      long startMillis = sleep.process().info().startInstant().orElseThrow().toEpochMilli();

      OptionalLong ticks = new ProcStatStartTicks(Path.of("/proc")).apply(sleep.pid());

      assertThat(ticks).isPresent();
      assertThat(bootMillis + ticks.getAsLong() * 10).isEqualTo(startMillis);
    }
  }
}
