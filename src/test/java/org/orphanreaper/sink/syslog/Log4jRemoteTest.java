package org.orphanreaper.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/** Log4j has no notice level: how the two severities travel through its levels and back. */
class Log4jRemoteTest {

  @Test
  void noticeIsLoggedAtInfoAndErrAtError() {
    assertThat(Log4jRemote.level(Severity.NOTICE)).isEqualTo(Level.INFO);
    assertThat(Log4jRemote.level(Severity.ERR)).isEqualTo(Level.ERROR);
  }

  @Test
  void errorAndWorseAreErrEverythingElseNotice() {
    assertThat(Log4jRemote.severity(Level.FATAL)).isEqualTo(Severity.ERR);
    assertThat(Log4jRemote.severity(Level.ERROR)).isEqualTo(Severity.ERR);
    assertThat(Log4jRemote.severity(Level.WARN)).isEqualTo(Severity.NOTICE);
    assertThat(Log4jRemote.severity(Level.INFO)).isEqualTo(Severity.NOTICE);
  }

  @Test
  void bothSeveritiesComeBackAsTheyWent() {
    for (Severity s : Severity.values()) {
      assertThat(Log4jRemote.severity(Log4jRemote.level(s))).isEqualTo(s);
    }
  }
}
