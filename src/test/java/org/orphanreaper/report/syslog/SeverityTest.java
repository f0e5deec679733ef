package org.orphanreaper.report.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

class SeverityTest {

  @Test
  void codesAreThoseOfSyslogH() {
    assertThat(Severity.ERR.code()).isEqualTo(3);
    assertThat(Severity.NOTICE.code()).isEqualTo(5);
  }

  @Test
  void errorAndWorseAreErrEverythingElseNotice() {
    assertThat(Severity.of(Level.FATAL)).isEqualTo(Severity.ERR);
    assertThat(Severity.of(Level.ERROR)).isEqualTo(Severity.ERR);
    assertThat(Severity.of(Level.WARN)).isEqualTo(Severity.NOTICE);
    assertThat(Severity.of(Level.INFO)).isEqualTo(Severity.NOTICE);
  }
}
