package org.orphanreaper.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FacilityTest {

  @ParameterizedTest
  @CsvSource({
    "kern, 0",
    "user, 1",
    "mail, 2",
    "daemon, 3",
    "auth, 4",
    "syslog, 5",
    "lpr, 6",
    "news, 7",
    "uucp, 8",
    "cron, 9",
    "authpriv, 10",
    "ftp, 11",
    "local0, 16",
    "local1, 17",
    "local2, 18",
    "local3, 19",
    "local4, 20",
    "local5, 21",
    "local6, 22",
    "local7, 23"
  })
  void parsesEverySyslogConfName(String name, int code) {
    Facility facility = Facility.parse(name);

    assertThat(facility.code()).isEqualTo(code);
    assertThat(facility.label()).isEqualTo(name);
  }

  @Test
  void ignoresCaseAndSurroundingBlanks() {
    assertThat(Facility.parse(" LOCAL3 ")).isEqualTo(Facility.LOCAL3);
  }

  @ParameterizedTest
  @CsvSource({"local8", "security", "ntp", "LOG_DAEMON", "''"})
  void rejectsOtherNamesWithOneLine(String name) {
    assertThatThrownBy(() -> Facility.parse(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown syslog facility '" + name + "'")
        .hasMessageContaining("local0..local7")
        .hasMessageNotContaining("\n");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> Facility.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "kern, ERR, 3", "user, NOTICE, 13", "daemon, NOTICE, 29", "daemon, ERR, 27",
    "authpriv, NOTICE, 85", "local0, NOTICE, 133", "local3, ERR, 155", "local7, NOTICE, 189"
  })
  void priorityIsFacilityTimesEightPlusSeverity(String name, Severity severity, int pri) {
    assertThat(Facility.parse(name).priority(severity)).isEqualTo(pri);
  }
}
