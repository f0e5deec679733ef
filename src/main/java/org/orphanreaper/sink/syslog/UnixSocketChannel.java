package org.orphanreaper.sink.syslog;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Sends each line as one syslog(3)-style datagram to the local daemon's socket. */
final class UnixSocketChannel implements Channel {

  private final LocalLineFormat format;
  private final UnixDatagramSocket socket;

  UnixSocketChannel(LocalLineFormat format, UnixDatagramSocket socket) {
    this.format = format;
    this.socket = socket;
  }

  @Override
  public void send(Severity severity, String line) throws Undelivered {
    String datagram = format.format(severity, Instant.now(), line);
    try {
      socket.send(datagram.getBytes(StandardCharsets.UTF_8));
    } catch (UnixSocketException e) {
      throw new Undelivered(e.reason());
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
