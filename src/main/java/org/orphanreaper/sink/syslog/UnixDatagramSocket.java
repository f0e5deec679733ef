package org.orphanreaper.sink.syslog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.orphanreaper.nativestub.Libc;
import org.orphanreaper.nativestub.LibcBinding;

/**
 * A client socket of type SOCK_DGRAM connected to a unix socket path such as /dev/log.
 *
 * <p>We talk to the socket ourselves instead of calling libc syslog(3): syslog(3) drops a message
 * silently when nobody listens, so we could not report the loss, and it always writes to /dev/log,
 * so tests could not point it at a private daemon. The JDK (17) has no unix datagram sockets, hence
 * jnr-ffi.
 */
final class UnixDatagramSocket implements AutoCloseable {

  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  // Keeps the descriptor out of any program the reaper might exec.
  private static final int SOCK_CLOEXEC = 02000000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_SNDTIMEO = 21;
  private static final int MSG_DONTWAIT = 0x40;
  private static final int MSG_NOSIGNAL = 0x4000;
  // struct sockaddr_un: a 2-byte family, then 108 bytes of NUL-terminated path.
  private static final int SUN_PATH_SIZE = 108;

  private final LibcBinding binding;
  private final Libc libc;
  private final Path path;
  private final long sendTimeoutMillis;
  private int fd = -1;
  // Set once a send timed out: later sends do not wait, so a hung daemon costs one timeout per
  // run, not one per message.
  private boolean stalled;

  private UnixDatagramSocket(LibcBinding binding, Path path, long sendTimeoutMillis) {
    this.binding = binding;
    this.libc = binding.libc();
    this.path = path;
    this.sendTimeoutMillis = sendTimeoutMillis;
  }

  /**
   * Binds libc on first use in this JVM; connecting waits for the first send.
   *
   * @param sendTimeoutMillis how long one send may block when the daemon's queue is full; a hung
   *     syslog daemon must not hang the reaper
   */
  static UnixDatagramSocket forPath(Path path, long sendTimeoutMillis) {
    return new UnixDatagramSocket(LibcBinding.get(), path, sendTimeoutMillis);
  }

  /**
   * Sends one datagram; connects first if needed, and reconnects once if the daemon was restarted
   * since (its old socket then refuses), as glibc does after a failed send.
   */
  synchronized void send(byte[] datagram) throws UnixSocketException {
    if (fd < 0) {
      connect();
    }
    int errno = trySend(datagram);
    if (errno == 0) {
      return;
    }
    if (errno == UnixSocketException.ECONNREFUSED || errno == UnixSocketException.ENOTCONN) {
      closeDescriptor();
      connect();
      errno = trySend(datagram);
      if (errno == 0) {
        return;
      }
    }
    throw failure(errno);
  }

  @Override
  public synchronized void close() {
    closeDescriptor();
  }

  private int trySend(byte[] datagram) {
    int flags = MSG_NOSIGNAL | (stalled ? MSG_DONTWAIT : 0);
    while (true) {
      long sent = libc.send(fd, datagram, datagram.length, flags);
      if (sent >= 0) {
        return 0;
      }
      int errno = binding.errno();
      if (errno == UnixSocketException.EAGAIN) {
        stalled = true;
      }
      if (errno != UnixSocketException.EINTR) {
        return errno;
      }
    }
  }

  private void connect() throws UnixSocketException {
    byte[] address = socketAddress();
    int s = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
      throw failure(binding.errno());
    }
    // Best effort: without the timeout a send may block while the daemon is stuck.
    libc.setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, timeval(sendTimeoutMillis), 16);
    if (libc.connect(s, address, address.length) < 0) {
      int errno = binding.errno();
      libc.close(s);
      throw failure(errno);
    }
    fd = s;
  }

  private byte[] socketAddress() throws UnixSocketException {
    byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
    if (name.length >= SUN_PATH_SIZE) {
      throw new UnixSocketException(
          path, UnixSocketException.ENAMETOOLONG, "socket path longer than 107 bytes");
    }
    ByteBuffer address = ByteBuffer.allocate(2 + SUN_PATH_SIZE).order(ByteOrder.nativeOrder());
    address.putShort((short) AF_UNIX).put(name);
    return address.array();
  }

  private static byte[] timeval(long millis) {
    return ByteBuffer.allocate(16)
        .order(ByteOrder.nativeOrder())
        .putLong(millis / 1000)
        .putLong((millis % 1000) * 1000)
        .array();
  }

  private UnixSocketException failure(int errno) {
    return new UnixSocketException(path, errno, libc.strerror(errno));
  }

  private void closeDescriptor() {
    if (fd >= 0) {
      libc.close(fd);
      fd = -1;
    }
  }
}
