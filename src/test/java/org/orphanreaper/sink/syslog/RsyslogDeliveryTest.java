package org.orphanreaper.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.nativestub.NativeStub;
import org.orphanreaper.sink.syslog.EventLog;
import org.orphanreaper.sink.syslog.SyslogSettings;
import org.orphanreaper.sink.syslog.SyslogSettings.Protocol;
import org.orphanreaper.sink.syslog.SyslogSettings.Remote;

/** Messages reach a real rsyslogd over its unix socket, UDP and TCP, with the right PRI and tag. */
@Timeout(60)
class RsyslogDeliveryTest {

  private static final Duration ARRIVAL = Duration.ofSeconds(10);

  @TempDir static Path dir;
  private static PrivateRsyslog rsyslog;

  @BeforeAll
  static void startRsyslog() throws Exception {
    Optional<Path> rsyslogd = PrivateRsyslog.executable();
    Assumptions.assumeTrue(
        rsyslogd.isPresent(),
        "rsyslogd is not installed (Debian package rsyslog): live syslog delivery not tested");
    rsyslog = PrivateRsyslog.start(rsyslogd.get(), dir);
  }

  @AfterAll
  static void stopRsyslog() throws Exception {
    if (rsyslog != null) {
      rsyslog.close();
    }
  }

  @Test
  void localSocketGetsFacilitySeverityAndIdent() throws Exception {
    assertLocalDelivery(NativeStub.ofThisJvm(), "local3", "reaper-sock");
  }

  /**
   * Without jffi's native stub the local socket cannot be bound: logger(1) sends instead, with
   * the same facility, severity, tag and message, since what a run says then (that it cannot
   * signal) must reach syslog most of all.
   */
  @Test
  void withoutTheNativeStubLocalMessagesGoThroughLoggerAlike() throws Exception {
    assertLocalDelivery(new NativeStub(Optional.of(dir.resolve("no-native"))), "local4",
        "reaper-nonative");
  }

  private void assertLocalDelivery(NativeStub stub, String facility, String ident)
      throws Exception {
    String marker = marker();
    Optional<String> problem;
    try (EventLog log = Syslog.open(settings(facility, ident, Optional.empty()), stub)) {
      log.notice(marker + " killed family");
      log.error(marker + " survivor");
      problem = log.deliveryProblem();
    }

    List<Received> got = rsyslog.await(r -> r.message().startsWith(marker), 2, ARRIVAL);

    assertThat(problem).isEmpty();
    assertThat(got)
        .extracting(
            r -> List.of(r.input(), r.facility(), r.severity(), r.programName(), r.message()))
        .containsExactlyInAnyOrder(
            List.of("imuxsock", facility, "notice", ident, marker + " killed family"),
            List.of("imuxsock", facility, "err", ident, marker + " survivor"));
  }

  @Test
  void multiLineMessageArrivesAsOneRecord() throws Exception {
    String marker = marker();
    try (EventLog log = Syslog.open(settings("daemon", "reaper-fold", Optional.empty()))) {
      log.notice(marker + " first\nsecond\r\nthird");
    }

    List<Received> got = rsyslog.await(r -> r.message().contains(marker), 1, ARRIVAL);
    // Give a wrongly split record time to show up as a second one.
    Thread.sleep(300);

    assertThat(PrivateRsyslog.records(dir, r -> r.programName().equals("reaper-fold")))
        .extracting(Received::message)
        .containsExactly(marker + " first second  third");
    assertThat(got).hasSize(1);
  }

  @Test
  void udpRemoteGetsRfc5424WithNoticeAndErr() throws Exception {
    assertRemote(Protocol.UDP, rsyslog.udpPort(), "imudp", "local4", "reaper-udp");
  }

  @Test
  void tcpRemoteGetsRfc5424WithNoticeAndErr() throws Exception {
    assertRemote(Protocol.TCP, rsyslog.tcpPort(), "imtcp", "local5", "reaper-tcp");
  }

  private void assertRemote(
      Protocol protocol, int port, String input, String facility, String ident) throws Exception {
    String marker = marker();
    Remote remote = new Remote("127.0.0.1", port, protocol);
    Optional<String> problem;
    try (EventLog log = Syslog.open(settings(facility, ident, Optional.of(remote)))) {
      log.notice(marker + " notice");
      log.error(marker + " error");
      log.notice(marker + " third");
      problem = log.deliveryProblem();
    }

    List<Received> got =
        rsyslog.await(r -> r.input().equals(input) && r.message().startsWith(marker), 3, ARRIVAL);

    assertThat(problem).isEmpty();
    assertThat(got)
        .extracting(
            r -> List.of(r.facility(), r.severity(), r.appName(), r.programName(), r.message()))
        .containsExactly(
            List.of(facility, "notice", ident, ident, marker + " notice"),
            List.of(facility, "err", ident, ident, marker + " error"),
            List.of(facility, "notice", ident, ident, marker + " third"));
    // The local socket got its own copy.
    assertThat(
            rsyslog.await(
                r -> r.input().equals("imuxsock") && r.message().startsWith(marker), 3, ARRIVAL))
        .hasSize(3);
  }

  private SyslogSettings settings(String facility, String ident, Optional<Remote> remote) {
    return new SyslogSettings(facility, ident, rsyslog.socket(), remote);
  }

  private static String marker() {
    return "m-" + UUID.randomUUID();
  }
}
