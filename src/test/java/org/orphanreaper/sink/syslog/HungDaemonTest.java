package org.orphanreaper.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.sink.syslog.EventLog;
import org.orphanreaper.sink.syslog.SyslogSettings;

/** A daemon that stops reading costs the run one send timeout, not one per message. */
@Timeout(60)
class HungDaemonTest {

  @TempDir Path dir;

  @Test
  void frozenDaemonIsReportedAfterOneTimeout() throws Exception {
    Optional<Path> rsyslogd = PrivateRsyslog.executable();
    Assumptions.assumeTrue(
        rsyslogd.isPresent(),
        "rsyslogd is not installed (Debian package rsyslog): hung daemon not tested");
    Optional<String> problem;
    Duration elapsed;
    try (PrivateRsyslog rsyslog = PrivateRsyslog.start(rsyslogd.get(), dir)) {
      rsyslog.signal("STOP");
      try {
        long start = System.nanoTime();
        // Far more than the kernel queues for a reader that does not read (max_dgram_qlen).
        try (EventLog log =
            Syslog.open(
                new SyslogSettings("daemon", "reaper-hung", rsyslog.socket(), Optional.empty()))) {
          // Gives up early so that a regression fails the assertion below instead of hanging.
          long giveUp = start + Duration.ofSeconds(15).toNanos();
          for (int i = 0; i < 2000 && System.nanoTime() < giveUp; i++) {
            log.notice("flood " + i);
          }
          problem = log.deliveryProblem();
        }
        elapsed = Duration.ofNanos(System.nanoTime() - start);
      } finally {
        rsyslog.signal("CONT");
      }
      assertThat(problem.orElseThrow())
          .startsWith(
              "orphan-reaper: the syslog daemon on "
                  + rsyslog.socket()
                  + " did not take messages in time; ")
          .endsWith(" messages not delivered");
    }
    assertThat(elapsed).isLessThan(Duration.ofSeconds(10));
  }
}
