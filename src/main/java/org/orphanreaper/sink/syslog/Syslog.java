package org.orphanreaper.sink.syslog;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.orphanreaper.nativestub.NativeStub;
import org.orphanreaper.sink.syslog.EventLog;
import org.orphanreaper.sink.syslog.SyslogSettings;

/**
 * Opens the syslog {@link EventLog}: the local socket, plus a central log host if configured.
 *
 * <p>Log4j (the Syslog appender) carries the lines to the central log host only, and is started
 * when the first of them is sent; the local socket is written directly (or through logger(1)),
 * so a run without a log host never loads Log4j.
 */
public final class Syslog {

  // A dead syslog daemon must not hang the reaper, but a busy one deserves a moment.
  private static final long LOCAL_SEND_TIMEOUT_MILLIS = 2000;

  private Syslog() {}

  /**
   * The syslog log for these settings. Call it only when something must be logged: the local
   * socket needs native bindings (tens of milliseconds). A missing daemon or dead log host does
   * not throw; it shows in {@link EventLog#deliveryProblem()}. Close the result when done.
   *
   * <p>Loss is detected for the local socket and for TCP connections that cannot be made or break;
   * UDP gives no feedback, so records sent to a dead UDP host vanish unreported.
   *
   * @throws IllegalArgumentException if the facility name is unknown
   */
  public static EventLog open(SyslogSettings settings) {
    return open(settings, NativeStub.ofThisJvm());
  }

  /**
   * @param stub the native stub the local socket needs; without it the local messages go
   *     through logger(1)
   */
  static EventLog open(SyslogSettings settings, NativeStub stub) {
    Facility facility = Facility.parse(settings.facility());
    List<Delivery> deliveries = new ArrayList<>();
    deliveries.add(local(settings, facility, stub));
    settings.remote().ifPresent(remote -> deliveries.add(new Delivery(
        new RemoteChannel(remote, settings.ident(), facility, unreachable(remote)),
        unreachable(remote))));
    return new SyslogEventLog(deliveries);
  }

  private static Delivery local(SyslogSettings settings, Facility facility, NativeStub stub) {
    Path socket = settings.socket();
    String unreachable = "cannot send to " + socket;
    long pid = ProcessHandle.current().pid();
    // Asked first: with the stub missing, jnr-ffi would have jffi extract one into the temp
    // directory and load it from there.
    Optional<String> noNative = stub.problem();
    if (noNative.isEmpty()) {
      try {
        LocalLineFormat format =
            new LocalLineFormat(facility, settings.ident(), pid, ZoneId.systemDefault());
        return new Delivery(new UnixSocketChannel(format,
            UnixDatagramSocket.forPath(socket, LOCAL_SEND_TIMEOUT_MILLIS)), unreachable);
      } catch (RuntimeException | LinkageError e) {
        noNative = Optional.of(String.valueOf(e.getMessage())); // jnr-ffi could not bind libc
      }
    }
    // What a run says when it cannot load native code must still reach syslog.
    return new Delivery(new LoggerCommandChannel(facility, settings.ident(), pid, socket,
        LOCAL_SEND_TIMEOUT_MILLIS),
        unreachable + " through logger(1) (no native socket support: " + noNative.get() + ")");
  }

  private static String unreachable(SyslogSettings.Remote remote) {
    return "cannot reach syslog host " + remote.host() + ":" + remote.port() + " over "
        + remote.protocol();
  }
}
