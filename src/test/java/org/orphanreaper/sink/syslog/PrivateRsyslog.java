package org.orphanreaper.sink.syslog;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real rsyslogd started by a test, with its own config, unix socket, loopback UDP and TCP ports
 * and output file, all in one directory. Closing it stops that process and no other.
 */
final class PrivateRsyslog implements AutoCloseable {

  /** What every record looks like in the output file; {@link Received#parse} reads it back. */
  static final String TEMPLATE =
      "%inputname%|%syslogfacility-text%|%syslogseverity-text%|%programname%|%app-name%|%msg%\\n";

  private static final Duration STARTUP = Duration.ofSeconds(20);

  private final Process process;
  private final Path dir;
  private final Path socket;
  private final int udpPort;
  private final int tcpPort;

  private PrivateRsyslog(Process process, Path dir, Path socket, int udpPort, int tcpPort) {
    this.process = process;
    this.dir = dir;
    this.socket = socket;
    this.udpPort = udpPort;
    this.tcpPort = tcpPort;
  }

  /** Where Debian installs rsyslogd, if it is installed. */
  static Optional<Path> executable() {
    return Stream.of("/usr/sbin/rsyslogd", "/sbin/rsyslogd")
        .map(Path::of)
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * The daemon's configuration. With {@code socket} empty it listens on the system socket /dev/log,
   * as Debian's default; with ports of 0 it has no network inputs.
   */
  static String config(Path dir, Optional<Path> socket, int udpPort, int tcpPort) {
    StringBuilder conf = new StringBuilder();
    conf.append("global(workDirectory=\"").append(dir.resolve("work")).append("\")\n");
    if (socket.isPresent()) {
      conf.append("module(load=\"imuxsock\" SysSock.Use=\"off\")\n")
          .append("input(type=\"imuxsock\" Socket=\"")
          .append(socket.get())
          .append("\")\n");
    } else {
      conf.append("module(load=\"imuxsock\")\n");
    }
    if (udpPort > 0) {
      conf.append("module(load=\"imudp\")\n")
          .append("input(type=\"imudp\" address=\"127.0.0.1\" port=\"")
          .append(udpPort)
          .append("\")\n");
    }
    if (tcpPort > 0) {
      conf.append("module(load=\"imtcp\")\n")
          .append("input(type=\"imtcp\" address=\"127.0.0.1\" port=\"")
          .append(tcpPort)
          .append("\")\n");
    }
    conf.append("template(name=\"probe\" type=\"string\" string=\"")
        .append(TEMPLATE)
        .append("\")\n")
        .append("*.* action(type=\"omfile\" file=\"")
        .append(output(dir))
        .append("\" template=\"probe\")\n");
    return conf.toString();
  }

  static Path output(Path dir) {
    return dir.resolve("out.log");
  }

  /** Starts rsyslogd in the foreground and waits until its socket and both ports take messages. */
  static PrivateRsyslog start(Path rsyslogd, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("work"));
    Path socket = dir.resolve("log");
    int udpPort = freeUdpPort();
    int tcpPort = freeTcpPort();
    Path conf = dir.resolve("rsyslog.conf");
    Files.writeString(conf, config(dir, Optional.of(socket), udpPort, tcpPort));
    Process process =
        new ProcessBuilder(
                rsyslogd.toString(),
                "-n",
                "-f",
                conf.toString(),
                "-i",
                dir.resolve("rsyslogd.pid").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("rsyslogd.out").toFile())
            .start();
    PrivateRsyslog daemon = new PrivateRsyslog(process, dir, socket, udpPort, tcpPort);
    try {
      daemon.awaitReady();
    } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
      // Never leave a daemon behind that a failed start-up launched.
      daemon.close();
      throw e;
    }
    return daemon;
  }

  Path socket() {
    return socket;
  }

  int udpPort() {
    return udpPort;
  }

  int tcpPort() {
    return tcpPort;
  }

  /** Waits until {@code count} records match, and returns those. */
  List<Received> await(Predicate<Received> wanted, int count, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Received> found = records(dir, wanted);
    while (found.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(50);
      found = records(dir, wanted);
    }
    return found;
  }

  /** The records in a daemon's output file so far. */
  static List<Received> records(Path dir, Predicate<Received> wanted) throws IOException {
    Path output = output(dir);
    if (!Files.exists(output)) {
      return List.of();
    }
    return Files.readAllLines(output, StandardCharsets.UTF_8).stream()
        .map(Received::parse)
        .flatMap(Optional::stream)
        .filter(wanted)
        .collect(Collectors.toList());
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) the rsyslogd this object started, to mimic a hang. */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    if (kill.waitFor() != 0) {
      throw new AssertionError(
          "kill -"
              + signal
              + " failed: "
              + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Sends SIGTERM to the rsyslogd this object started (SIGKILL if it lingers). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    boolean tcpReady = false;
    boolean udpReady = false;
    try (DatagramSocket udp = new DatagramSocket()) {
      while (!(Files.exists(socket) && tcpReady && udpReady)) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError(
              "rsyslogd did not come up; its output:\n"
                  + Files.readString(dir.resolve("rsyslogd.out")));
        }
        tcpReady = tcpReady || accepts(tcpPort);
        // UDP has no handshake: the port is ready once a probe record shows up in the output.
        byte[] probe = "<46>ready: udp-ready-probe".getBytes(StandardCharsets.US_ASCII);
        udp.send(
            new DatagramPacket(
                probe,
                probe.length,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort)));
        udpReady = !records(dir, r -> r.message().contains("udp-ready-probe")).isEmpty();
        Thread.sleep(100);
      }
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
