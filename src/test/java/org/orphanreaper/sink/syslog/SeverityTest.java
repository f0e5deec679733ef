package org.orphanreaper.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeverityTest {

  @Test
  void codesAreThoseOfSyslogH() {
    assertThat(Severity.ERR.code()).isEqualTo(3);
    assertThat(Severity.NOTICE.code()).isEqualTo(5);
  }

  @Test
  void labelsAreThoseOfSyslogConf() {
    assertThat(Severity.ERR.label()).isEqualTo("err");
    assertThat(Severity.NOTICE.label()).isEqualTo("notice");
  }
}
