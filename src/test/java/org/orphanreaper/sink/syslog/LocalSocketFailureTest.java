package org.orphanreaper.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.nativestub.NativeStub;
import org.orphanreaper.sink.syslog.EventLog;
import org.orphanreaper.sink.syslog.SyslogSettings;

/** Lost local messages are counted and reported in one line, never thrown. */
class LocalSocketFailureTest {

  @TempDir Path dir;

  @Test
  void missingSocketIsReportedWithCount() {
    Path socket = dir.resolve("log");

    Optional<String> problem = sendThree(socket);

    assertThat(problem)
        .contains(
            "orphan-reaper: no syslog daemon listens on " + socket + "; 3 messages not delivered");
  }

  @Test
  void staleSocketFileOfADeadDaemonIsReported() throws Exception {
    Path socket = dir.resolve("stale");
    // A socket file nobody is bound to any more refuses connections, as after a daemon crash.
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(Files.exists(socket)).isTrue();

    assertThat(sendThree(socket))
        .contains(
            "orphan-reaper: no syslog daemon listens on " + socket + "; 3 messages not delivered");
  }

  @Test
  void streamSocketIsNotTakenForADatagramOne() throws Exception {
    Path socket = dir.resolve("stream");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));

      assertThat(sendThree(socket))
          .contains(
              "orphan-reaper: " + socket + " is not a datagram socket; 3 messages not delivered");
    }
  }

  @Test
  void tooLongPathIsReportedNotThrown() {
    Path socket = dir.resolve("x".repeat(120));

    assertThat(sendThree(socket).orElseThrow())
        .startsWith("orphan-reaper: cannot send to ")
        .contains("longer than 107 bytes")
        .endsWith("; 3 messages not delivered");
  }

  @Test
  void withoutTheNativeStubAMissingSocketIsReportedWithCountToo() {
    Path socket = dir.resolve("log");
    NativeStub missing = new NativeStub(Optional.of(dir.resolve("no-native")));
    Optional<String> problem;
    try (EventLog log = Syslog.open(settings("daemon", socket), missing)) {
      log.notice("one");
      log.error("two");
      problem = log.deliveryProblem();
    }

    assertThat(problem).contains("orphan-reaper: logger(1) could not send to " + socket
        + ": socket " + socket + ": No such file or directory; 2 messages not delivered");
  }

  @Test
  void oneLostMessageIsSingular() {
    try (EventLog log = Syslog.open(settings("local0", dir.resolve("none")))) {
      log.error("only one");

      assertThat(log.deliveryProblem().orElseThrow()).endsWith("; 1 message not delivered");
    }
  }

  @Test
  void loggingAfterCloseCountsAsLostAndDoesNotThrow() {
    EventLog log = Syslog.open(settings("daemon", dir.resolve("none")));
    log.close();

    log.notice("late");
    log.close();

    assertThat(log.deliveryProblem())
        .contains(
            "orphan-reaper: messages were logged after the syslog log was closed;"
                + " 1 message not delivered");
  }

  @Test
  void unknownFacilityIsRejectedBeforeAnythingStarts() {
    assertThatThrownBy(() -> Syslog.open(settings("local9", dir.resolve("log"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown syslog facility 'local9'");
  }

  private Optional<String> sendThree(Path socket) {
    try (EventLog log = Syslog.open(settings("daemon", socket))) {
      log.notice("one");
      log.error("two");
      log.notice("three\nwith a second line");
      return log.deliveryProblem();
    }
  }

  private static SyslogSettings settings(String facility, Path socket) {
    return new SyslogSettings(facility, "reaper-test", socket, Optional.empty());
  }
}
