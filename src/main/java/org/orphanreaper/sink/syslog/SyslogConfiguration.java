package org.orphanreaper.sink.syslog;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.SyslogAppender;
import org.apache.logging.log4j.core.config.AbstractConfiguration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.Rfc5424Layout;
import org.apache.logging.log4j.core.net.Protocol;
import org.orphanreaper.sink.syslog.SyslogSettings;

/**
 * A Log4j configuration built in code: one logger whose only appender is Log4j's Syslog appender
 * to the central log host. No file is read.
 */
final class SyslogConfiguration extends AbstractConfiguration {

  static final String REMOTE_LOGGER = "orphan-reaper.syslog.remote";

  // Bounds the TCP connect to a silent (firewalled) host; Log4j's default is to wait forever.
  private static final int REMOTE_CONNECT_TIMEOUT_MILLIS = 3000;

  private final SyslogSettings.Remote remote;
  private final String ident;
  private final Facility facility;
  private boolean routed;

  SyslogConfiguration(LoggerContext context, SyslogSettings.Remote remote, String ident,
      Facility facility) {
    super(context, ConfigurationSource.NULL_SOURCE);
    this.remote = remote;
    this.ident = ident;
    this.facility = facility;
    // The channel is closed by its owner; a JVM shutdown hook would also start Log4j's global
    // LogManager machinery, which costs start-up time for nothing.
    this.isShutdownHookEnabled = false;
    setName("orphan-reaper-syslog");
  }

  /** Whether the appender could be made; valid once the context has started this configuration. */
  boolean routed() {
    return routed;
  }

  @Override
  protected void doConfigure() {
    // Deliberately not super.doConfigure(): there is no node tree, and its fallback would add a
    // console appender.
    boolean tcp = remote.protocol() == SyslogSettings.Protocol.TCP;
    try {
      Rfc5424Layout rfc5424 =
          Rfc5424Layout.newBuilder()
              .setConfiguration(this)
              .setFacility(org.apache.logging.log4j.core.net.Facility.valueOf(facility.name()))
              .setAppName(ident)
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
              // Failures must reach the caller, which counts them; the StatusLogger stays quiet.
              .setIgnoreExceptions(false)
              .setImmediateFlush(true)
              .build();
      if (appender != null) {
        route(appender);
      }
    } catch (RuntimeException e) {
      // E.g. an unknown host name: Log4j builds no socket manager. Every line counts as lost.
    }
  }

  private void route(Appender appender) {
    appender.start();
    addAppender(appender);
    LoggerConfig logger = new LoggerConfig(REMOTE_LOGGER, Level.ALL, false);
    logger.addAppender(appender, null, null);
    addLogger(REMOTE_LOGGER, logger);
    routed = true;
  }
}
