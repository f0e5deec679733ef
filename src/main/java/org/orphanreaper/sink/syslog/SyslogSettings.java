package org.orphanreaper.sink.syslog;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where and how the run's events go to syslog.
 *
 * @param facility syslog facility name, e.g. {@code daemon}, {@code local3}
 * @param ident the program name put in front of each message
 * @param socket the local syslog socket, normally {@code /dev/log}
 * @param remote an optional central log host, sent RFC 5424 messages by Log4j
 */
public record SyslogSettings(String facility, String ident, Path socket, Optional<Remote> remote) {

  public static final String DEFAULT_FACILITY = "daemon";
  public static final String DEFAULT_IDENT = "orphan-reaper";
  public static final Path DEFAULT_SOCKET = Path.of("/dev/log");

  /** A central log host. */
  public record Remote(String host, int port, Protocol protocol) {}

  /** Transport to the central log host. */
  public enum Protocol {
    UDP,
    TCP
  }
}
