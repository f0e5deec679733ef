package org.orphanreaper.sink.syslog;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.orphanreaper.sink.syslog.EventLog;
import org.orphanreaper.sink.syslog.SyslogSettings;

/**
 * A main run in a fresh JVM by the tests: logs one notice and one error, then prints the delivery
 * problem (or {@code delivered}) and how long it took on stdout, so its stderr stays Log4j's alone.
 *
 * <p>Arguments: {@code default MESSAGE} for the default settings, or {@code FACILITY IDENT SOCKET
 * REMOTE MESSAGE} where REMOTE is {@code none} or {@code udp|tcp:HOST:PORT}. A MESSAGE of {@code -}
 * opens the log and closes it without logging anything.
 */
public final class SyslogProbe {

  private SyslogProbe() {}

  public static void main(String[] args) {
    long start = System.nanoTime();
    SyslogSettings settings;
    String message;
    if (args[0].equals("default")) {
      settings =
          new SyslogSettings(
              SyslogSettings.DEFAULT_FACILITY,
              SyslogSettings.DEFAULT_IDENT,
              SyslogSettings.DEFAULT_SOCKET,
              Optional.empty());
      message = args[1];
    } else {
      settings = new SyslogSettings(args[0], args[1], Path.of(args[2]), remote(args[3]));
      message = args[4];
    }
    Optional<String> problem;
    try (EventLog log = Syslog.open(settings)) {
      if (!message.equals("-")) {
        log.notice(message + " notice");
        log.error(message + " error");
      }
      problem = log.deliveryProblem();
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.println(problem.orElse("delivered"));
    System.out.println("elapsed-ms " + millis);
  }

  private static Optional<SyslogSettings.Remote> remote(String spec) {
    if (spec.equals("none")) {
      return Optional.empty();
    }
    String[] parts = spec.split(":");
    return Optional.of(
        new SyslogSettings.Remote(
            parts[1],
            Integer.parseInt(parts[2]),
            SyslogSettings.Protocol.valueOf(parts[0].toUpperCase(Locale.ROOT))));
  }
}
