package org.orphanreaper.report.syslog;

import java.util.Optional;

/**
 * One place messages go, as set up in the Log4j configuration.
 *
 * @param loggerName the Log4j logger whose only appender writes there
 * @param unreachable the reason reported when a send fails without a more precise one
 * @param setupProblem why no appender could be made at all; then every message counts as lost
 */
record Destination(String loggerName, String unreachable, Optional<String> setupProblem) {}
