package org.orphanreaper.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The schedules the packages install: the cron entry and the systemd units, as files. That they
 * install and load is DebInstallIT's part.
 */
class ScheduleFilesTest {

  private static final Path CRON = Path.of("cron.d/orphan-reaper");
  private static final Path SERVICE = Path.of("src/dist/systemd/orphan-reaper.service");
  private static final Path TIMER = Path.of("src/dist/systemd/orphan-reaper.timer");

  /** A cron.d job: five time fields, the user, the command. */
  private static final Pattern JOB =
      Pattern.compile(
          "([0-9*/,-]+)\\s+([0-9*/,-]+)\\s+([0-9*/,-]+)\\s+([0-9*/,-]+)\\s+"
              + "([0-9*/,-]+)\\s+(\\S+)\\s+(.+)");

  @Test
  void cronEntryIsOneDisabledQuietRootJobEvery15MinutesGuardedByTheLauncher() throws Exception {
    List<String> lines = Files.readAllLines(CRON);
    assertThat(lines)
        .as("nothing active: a fresh install kills nothing")
        .allMatch(l -> l.isBlank() || l.startsWith("#"));
    List<Matcher> jobs =
        lines.stream().map(l -> JOB.matcher(l.substring(1))).filter(m -> m.matches()).toList();
    assertThat(jobs).as("one commented-out job line").hasSize(1);
    Matcher job = jobs.get(0);
    assertThat(List.of(job.group(1), job.group(2), job.group(3), job.group(4), job.group(5)))
        .containsExactly("*/15", "*", "*", "*", "*");
    assertThat(job.group(6)).isEqualTo("root");
    // test -x: after "apt remove" the conffile stays, the launcher does not.
    assertThat(job.group(7))
        .isEqualTo("test -x /usr/sbin/orphan-reaper && /usr/sbin/orphan-reaper -q --splay 10m");
  }

  @Test
  void serviceIsAOneshotQuietRunThatNothingButTheTimerStarts() throws Exception {
    UnitFile s = UnitFile.read(SERVICE);
    assertThat(s.get("Service", "Type")).isEqualTo("oneshot");
    assertThat(s.section("Service").get("ExecStart")).containsExactly("/usr/sbin/orphan-reaper -q");
    assertThat(s.get("Service", "SuccessExitStatus")).isEqualTo("75");
    assertThat(s.get("Service", "TimeoutStartSec")).isNotNull();
    assertThat(s.sections())
        .as("no [Install]: enabling the service alone would run it at boot")
        .doesNotContainKey("Install");
  }

  @Test
  void serviceHardeningLeavesTheReaperItsJob() throws Exception {
    Map<String, List<String>> s = UnitFile.read(SERVICE).section("Service");
    // Each would hide processes, or the right to signal them, or a place the reaper writes.
    assertThat(s)
        .doesNotContainKeys(
            "ProtectProc",
            "PrivatePIDs",
            "PrivateUsers",
            "PrivateNetwork",
            "PrivateDevices",
            "MemoryDenyWriteExecute",
            "CapabilityBoundingSet",
            "AmbientCapabilities",
            "User",
            "Group",
            "DynamicUser",
            "IPAddressDeny",
            "ReadOnlyPaths",
            "InaccessiblePaths",
            "TemporaryFileSystem",
            "RootDirectory",
            "RootImage");
    assertThat(s.getOrDefault("ProcSubset", List.of("all"))).containsOnly("all");
    assertThat(s.get("ProtectSystem")).as("/var stays writable").containsExactly("full");
    assertThat(s.getOrDefault("ProtectHome", List.of("no"))).containsAnyOf("no", "read-only");
    assertThat(
            String.join(
                " ",
                s.getOrDefault("RestrictAddressFamilies", List.of("AF_UNIX AF_INET AF_INET6"))))
        .contains("AF_UNIX", "AF_INET", "AF_INET6");
    // Only a deny-list of groups neither the JVM nor a batch system's commands use.
    Set<String> deniable =
        Set.of(
            "@clock",
            "@cpu-emulation",
            "@debug",
            "@module",
            "@mount",
            "@obsolete",
            "@raw-io",
            "@reboot",
            "@swap");
    for (String filter : s.getOrDefault("SystemCallFilter", List.of())) {
      assertThat(filter).startsWith("~");
      assertThat(filter.substring(1).trim().split("\\s+")).isSubsetOf(deniable);
    }
    assertThat(s.get("NoNewPrivileges")).containsExactly("yes");
  }

  @Test
  void timerFiresEvery15MinutesSpreadOverTheClusterAndMakesNothingUp() throws Exception {
    UnitFile t = UnitFile.read(TIMER);
    assertThat(t.get("Timer", "OnCalendar")).isEqualTo("*:0/15");
    Duration delay = duration(t.get("Timer", "RandomizedDelaySec"));
    assertThat(delay).isPositive().isLessThan(Duration.ofMinutes(15));
    assertThat(t.get("Timer", "FixedRandomDelay")).isEqualTo("yes");
    assertThat(t.get("Timer", "Persistent")).isEqualTo("false");
    assertThat(t.get("Timer", "Unit")).isIn(null, "orphan-reaper.service");
    assertThat(t.get("Install", "WantedBy")).isEqualTo("timers.target");
  }

  @Test
  void systemdRatesTheServiceExposureAtMost5() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "needs systemd-analyze (package systemd); skipped");
    Cmd r = Cmd.run(analyze.toString(), "security", "--offline=yes", SERVICE.toString());
    Matcher m =
        Pattern.compile("Overall exposure level for orphan-reaper\\.service: ([0-9.]+)")
            .matcher(r.out());
    assertThat(m.find()).as(r.describe()).isTrue();
    // 4.6 when written; 10 is an unhardened root service.
    assertThat(Double.parseDouble(m.group(1))).isLessThanOrEqualTo(5.0);
  }

  /** systemd's "10min", "30s", "1h" (the forms the timer uses). */
  private static Duration duration(String value) {
    Matcher m = Pattern.compile("(\\d+)(s|min|h)").matcher(value);
    assertThat(m.matches()).as("a duration such as 10min: " + value).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "min" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
