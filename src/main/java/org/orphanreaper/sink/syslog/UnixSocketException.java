package org.orphanreaper.sink.syslog;

import java.io.IOException;
import java.nio.file.Path;

/** A unix socket call failed; carries errno so callers can tell "nobody listens" apart. */
final class UnixSocketException extends IOException {

  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int EACCES = 13;
  static final int ENAMETOOLONG = 36;
  static final int EPROTOTYPE = 91;
  static final int ENOTCONN = 107;
  static final int ECONNREFUSED = 111;

  private final Path path;
  private final int errno;

  UnixSocketException(Path path, int errno, String description) {
    super(path + ": " + description);
    this.path = path;
    this.errno = errno;
  }

  int errno() {
    return errno;
  }

  /** True when no daemon is there: the socket file is missing or nothing is bound to it. */
  boolean nobodyListens() {
    return errno == ENOENT || errno == ECONNREFUSED;
  }

  /** A short reason for the one-line delivery report. */
  String reason() {
    switch (errno) {
      case ENOENT:
      case ECONNREFUSED:
        return "no syslog daemon listens on " + path;
      case EACCES:
        return "no permission to write to " + path;
      case EAGAIN:
        return "the syslog daemon on " + path + " did not take messages in time";
      case EPROTOTYPE:
        return path + " is not a datagram socket";
      default:
        return "cannot send to " + getMessage();
    }
  }
}
