package org.orphanreaper.sink.syslog;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats a record the way glibc's syslog(3) sends it to /dev/log: {@code <PRI>Mmm dd hh:mm:ss
 * ident[pid]: message}.
 *
 * @param facility the facility in every record's PRI
 * @param ident the tag in front of the pid, as openlog(3) would get it
 * @param pid the process id shown in brackets
 * @param zone the time zone of the timestamp; the local daemon expects local time
 */
record LocalLineFormat(Facility facility, String ident, long pid, ZoneId zone) {

  // RFC 3164 timestamp: English month, day padded with a space, no year, no zone.
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

  /** The full datagram text for one message, which must already be a single line. */
  String format(Severity severity, Instant time, String message) {
    return "<"
        + facility.priority(severity)
        + ">"
        + TIMESTAMP.format(time.atZone(zone))
        + " "
        + ident
        + "["
        + pid
        + "]: "
        + message;
  }
}
