package org.orphanreaper.sink.syslog;

import java.nio.charset.StandardCharsets;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.layout.AbstractStringLayout;
import org.apache.logging.log4j.core.layout.Rfc5424Layout;

/**
 * Log4j's RFC 5424 layout with the PRI corrected to notice or err.
 *
 * <p>Log4j maps levels to syslog severities without notice (INFO becomes info, and no custom level
 * maps to 5), so the layout's own {@code <PRI>} is replaced; the rest of the record is Log4j's.
 */
final class NoticeRfc5424Layout extends AbstractStringLayout {

  private final Rfc5424Layout delegate;
  private final Facility facility;

  NoticeRfc5424Layout(Rfc5424Layout delegate, Facility facility) {
    super(StandardCharsets.UTF_8);
    this.delegate = delegate;
    this.facility = facility;
  }

  @Override
  public String toSerializable(LogEvent event) {
    String record = delegate.toSerializable(event);
    int end = record.indexOf('>');
    return "<" + facility.priority(Log4jRemote.severity(event.getLevel())) + record.substring(end);
  }
}
