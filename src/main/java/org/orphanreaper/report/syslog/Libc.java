package org.orphanreaper.report.syslog;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The few libc socket calls the JDK lacks for unix datagram sockets, bound by jnr-ffi (which needs
 * the interface public to implement it).
 */
public interface Libc {

  @SaveError
  int socket(int domain, int type, int protocol);

  @SaveError
  int connect(int fd, @In byte[] address, int addressLength);

  @SaveError
  int setsockopt(int fd, int level, int option, @In byte[] value, int valueLength);

  @SaveError
  @ssize_t
  long send(int fd, @In byte[] buffer, @size_t long length, int flags);

  @SaveError
  int close(int fd);

  String strerror(int errno);
}
