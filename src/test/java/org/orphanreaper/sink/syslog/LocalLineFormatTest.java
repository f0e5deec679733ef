package org.orphanreaper.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LocalLineFormatTest {

  private final LocalLineFormat daemon =
      new LocalLineFormat(Facility.DAEMON, "orphan-reaper", 4242, ZoneOffset.UTC);

  @Test
  void looksLikeGlibcSyslogWithSpacePaddedDay() {
    String line =
        daemon.format(Severity.NOTICE, Instant.parse("2025-01-05T07:08:09Z"), "killed 3 procs");

    assertThat(line).isEqualTo("<29>Jan  5 07:08:09 orphan-reaper[4242]: killed 3 procs");
  }

  @Test
  void twoDigitDayAndErrSeverity() {
    String line = daemon.format(Severity.ERR, Instant.parse("2025-11-22T23:59:59Z"), "survivor");

    assertThat(line).isEqualTo("<27>Nov 22 23:59:59 orphan-reaper[4242]: survivor");
  }

  @Test
  void usesTheGivenZoneAndEnglishMonths() {
    LocalLineFormat berlin =
        new LocalLineFormat(Facility.LOCAL3, "reaper", 7, ZoneId.of("Europe/Berlin"));

    String line = berlin.format(Severity.ERR, Instant.parse("2025-05-31T23:30:00Z"), "x");

    assertThat(line).isEqualTo("<155>Jun  1 01:30:00 reaper[7]: x");
  }
}
