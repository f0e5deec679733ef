package org.orphanreaper.sink.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting Log4j costs a run a few hundred milliseconds of classes, so only a line sent to a
 * central log host may load it: the local socket, logger(1), and a log host that is configured
 * but sent nothing load no Log4j class. Each case is a fresh JVM whose class loading is logged
 * (this JVM has loaded Log4j for other tests long ago).
 */
@Timeout(120)
class Log4jOnlyForRemoteTest {

  private static final String LOG4J = "org.apache.logging.";

  @TempDir Path dir;

  @Test
  void theLocalSocketLoadsNoLog4jClass() throws Exception {
    assertThat(log4jClassesLoaded(List.of(), dir.resolve("nobody-listens").toString(), "none",
        "local")).isEmpty();
  }

  @Test
  void loggerOneLoadsNoLog4jClass() throws Exception {
    // With the native stub missing, local lines go through logger(1).
    List<String> noStub = List.of("-Djffi.boot.library.path=" + dir.resolve("no-native"));
    assertThat(log4jClassesLoaded(noStub, dir.resolve("nobody-listens").toString(), "none",
        "via-logger")).isEmpty();
  }

  @Test
  void aLogHostSentNothingLoadsNoLog4jClass() throws Exception {
    assertThat(log4jClassesLoaded(List.of(), dir.resolve("nobody-listens").toString(),
        "udp:127.0.0.1:" + idleUdpPort(), "-")).isEmpty();
  }

  /** The check sees Log4j where it belongs: the first line for the log host starts it. */
  @Test
  void aLineForTheLogHostStartsLog4j() throws Exception {
    assertThat(log4jClassesLoaded(List.of(), dir.resolve("nobody-listens").toString(),
        "udp:127.0.0.1:" + idleUdpPort(), "remote"))
        .contains("org.apache.logging.log4j.core.LoggerContext");
  }

  /** The Log4j classes a {@link SyslogProbe} JVM loaded. */
  private List<String> log4jClassesLoaded(List<String> jvmOptions, String socket, String remote,
      String message) throws IOException, InterruptedException {
    Path loaded = Files.createTempFile(dir, "classes", ".log");
    List<String> options = new java.util.ArrayList<>(jvmOptions);
    options.add("-Xlog:class+load=info:file=" + loaded);
    ChildProcess probe = ChildProcess.run(
        ChildProcess.probeCommand(options, "daemon", "reaper-classes", socket, remote, message),
        dir, Duration.ofSeconds(60));
    assertThat(probe.exitCode()).as("probe stderr: %s", probe.stderr()).isZero();
    // "[0.012s][info][class,load] java.lang.Object source: shared objects file"
    return Files.readAllLines(loaded).stream()
        .map(line -> line.replaceFirst("^(\\[[^]]*\\])+\\s*", "").split(" ")[0])
        .filter(name -> name.startsWith(LOG4J))
        .toList();
  }

  /** A loopback UDP port nobody reads: the datagrams sent there are simply dropped. */
  private static int idleUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
