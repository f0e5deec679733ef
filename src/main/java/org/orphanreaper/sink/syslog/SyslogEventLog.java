package org.orphanreaper.sink.syslog;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.orphanreaper.sink.syslog.EventLog;

/** An {@link EventLog} that hands each line to every syslog destination of the run. */
final class SyslogEventLog implements EventLog {

  private static final String PROGRAM = "orphan-reaper";

  private final List<Delivery> deliveries;

  SyslogEventLog(List<Delivery> deliveries) {
    this.deliveries = List.copyOf(deliveries);
  }

  @Override
  public void notice(String message) {
    send(Severity.NOTICE, message);
  }

  @Override
  public void error(String message) {
    send(Severity.ERR, message);
  }

  @Override
  public Optional<String> deliveryProblem() {
    String problems =
        deliveries.stream()
            .map(Delivery::problem)
            .flatMap(Optional::stream)
            .collect(Collectors.joining("; "));
    // Folded because a reason can quote a native error message, which may span lines.
    return problems.isEmpty()
        ? Optional.empty()
        : Optional.of(SingleLine.of(PROGRAM + ": " + problems));
  }

  /** Closes every channel; lines logged after close count as not delivered. */
  @Override
  public void close() {
    deliveries.forEach(Delivery::close);
  }

  private void send(Severity severity, String message) {
    String line = SingleLine.of(message);
    for (Delivery delivery : deliveries) {
      delivery.send(severity, line);
    }
  }
}
