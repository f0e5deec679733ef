package org.orphanreaper.report.syslog;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.SyslogAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.Rfc5424Layout;
import org.apache.logging.log4j.core.net.Protocol;
import org.orphanreaper.nativestub.NativeStub;
import org.orphanreaper.report.SyslogSettings;

/** A Log4j configuration built in code, one logger per syslog destination; no file is read. */
final class SyslogConfiguration extends AbstractConfiguration {

  static final String LOCAL_LOGGER = "orphan-reaper.syslog.local";
  static final String REMOTE_LOGGER = "orphan-reaper.syslog.remote";

  // A dead syslog daemon must not hang the reaper, but a busy one deserves a moment.
  private static final long LOCAL_SEND_TIMEOUT_MILLIS = 2000;
  // Bounds the TCP connect to a silent (firewalled) host; Log4j's default is to wait forever.
  private static final int REMOTE_CONNECT_TIMEOUT_MILLIS = 3000;

  private final SyslogSettings settings;
  private final Facility facility;
  private final NativeStub stub;
  private final List<Destination> destinations = new ArrayList<>();

  SyslogConfiguration(LoggerContext context, SyslogSettings settings, Facility facility,
      NativeStub stub) {
    super(context, ConfigurationSource.NULL_SOURCE);
    this.settings = settings;
    this.facility = facility;
    this.stub = stub;
    // The EventLog is closed by its owner; a JVM shutdown hook would also start Log4j's global
    // LogManager machinery, which costs start-up time for nothing.
    this.isShutdownHookEnabled = false;
    setName("orphan-reaper-syslog");
  }

  /** Where messages go, in order; valid once the context has started this configuration. */
  List<Destination> destinations() {
    return List.copyOf(destinations);
  }

  @Override
  protected void doConfigure() {
    // Deliberately not super.doConfigure(): there is no node tree, and its fallback would add a
    // console appender.
    destinations.add(local());
    settings.remote().ifPresent(remote -> destinations.add(remote(remote)));
  }

  private Destination local() {
    String unreachable = "cannot send to " + settings.socket();
    long pid = ProcessHandle.current().pid();
    // Asked first: with the stub missing, jnr-ffi would have jffi extract one into the temp
    // directory and load it from there.
    Optional<String> noNative = stub.problem();
    if (noNative.isEmpty()) {
      try {
        LocalLineFormat format =
            new LocalLineFormat(facility, settings.ident(), pid, ZoneId.systemDefault());
        UnixDatagramSocket socket =
            UnixDatagramSocket.forPath(settings.socket(), LOCAL_SEND_TIMEOUT_MILLIS);
        route(LOCAL_LOGGER, new UnixSocketAppender("local-syslog", format, socket));
        return new Destination(LOCAL_LOGGER, unreachable, Optional.empty());
      } catch (RuntimeException | LinkageError e) {
        noNative = Optional.of(String.valueOf(e.getMessage())); // jnr-ffi could not bind libc
      }
    }
    // What a run says when it cannot load native code must still reach syslog.
    route(LOCAL_LOGGER, new LoggerCommandAppender("local-syslog-logger", facility,
        settings.ident(), pid, settings.socket(), LOCAL_SEND_TIMEOUT_MILLIS));
    return new Destination(LOCAL_LOGGER,
        unreachable + " through logger(1) (no native socket support: " + noNative.get() + ")",
        Optional.empty());
  }

  private Destination remote(SyslogSettings.Remote remote) {
    String unreachable =
        "cannot reach syslog host "
            + remote.host()
            + ":"
            + remote.port()
            + " over "
            + remote.protocol();
    boolean tcp = remote.protocol() == SyslogSettings.Protocol.TCP;
    try {
      Rfc5424Layout rfc5424 =
          Rfc5424Layout.newBuilder()
              .setConfiguration(this)
              .setFacility(org.apache.logging.log4j.core.net.Facility.valueOf(facility.name()))
              .setAppName(settings.ident())
              .setIncludeMDC(false)
              // Over TCP a newline ends each record (RFC 6587 non-transparent framing).
              .setNewLine(tcp)
              .build();
      Appender appender =
          SyslogAppender.newSyslogAppenderBuilder()
              .setName("remote-syslog")
              .setConfiguration(this)
              .setLayout(new NoticeRfc5424Layout(rfc5424, facility))
              .setHost(remote.host())
              .setPort(remote.port())
              .setProtocol(Protocol.valueOf(remote.protocol().name()))
              .setConnectTimeoutMillis(REMOTE_CONNECT_TIMEOUT_MILLIS)
              // Fail a write at once while disconnected instead of waiting for the reconnector.
              .setImmediateFail(true)
              // Failures must reach Delivery, which counts them; the StatusLogger stays quiet.
              .setIgnoreExceptions(false)
              .setImmediateFlush(true)
              .build();
      if (appender == null) {
        return new Destination(REMOTE_LOGGER, unreachable, Optional.of(unreachable));
      }
      route(REMOTE_LOGGER, appender);
      return new Destination(REMOTE_LOGGER, unreachable, Optional.empty());
    } catch (RuntimeException e) {
      // E.g. an unknown host name: Log4j builds no socket manager.
      return new Destination(REMOTE_LOGGER, unreachable, Optional.of(unreachable));
    }
  }

  private void route(String loggerName, Appender appender) {
    appender.start();
    addAppender(appender);
    LoggerConfig logger = new LoggerConfig(loggerName, Level.ALL, false);
    logger.addAppender(appender, null, null);
    addLogger(loggerName, logger);
  }
}
