package org.orphanreaper.sink;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.orphanreaper.act.KillOutcome;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.report.EventLines;
import org.orphanreaper.report.RunReport;
import org.orphanreaper.sink.accounting.AccountingException;
import org.orphanreaper.sink.accounting.AccountingLog;
import org.orphanreaper.sink.accounting.AccountingRecord;
import org.orphanreaper.sink.accounting.AccountingRecords;
import org.orphanreaper.sink.accounting.ReasonCode;
import org.orphanreaper.sink.syslog.EventLog;

/**
 * What a kill run did, recorded family by family as each one finishes: its accounting records
 * and its syslog line (and stdout line unless quiet). A run that is killed, or crashes, after it
 * killed has already recorded what it killed; only the run's summary waits for the end. The
 * kill threads call it, so it is synchronized.
 */
public final class AuditTrail implements AutoCloseable {

  private final String host;
  private final Instant time;
  private final Snapshot snapshot;
  private final EventLog log;
  private final EventLines lines;
  private final AccountingLog accounting;
  private final LongFunction<String> userName;
  private final Function<RunReport.FamilyReport, ReasonCode> reasonCode;
  private final Optional<PrintWriter> echo;
  private int recordsWritten;
  private int recordsLost;
  private Optional<String> accountingProblem = Optional.empty();

  /**
   * @param echo where each line is also printed (stdout), unless --quiet or --json
   */
  public AuditTrail(String host, Instant time, Snapshot snapshot, EventLog log,
      AccountingLog accounting, LongFunction<String> userName,
      Function<RunReport.FamilyReport, ReasonCode> reasonCode, Optional<PrintWriter> echo) {
    this.host = host;
    this.time = time;
    this.snapshot = snapshot;
    this.log = log;
    this.lines = new EventLines(userName);
    this.accounting = accounting;
    this.userName = userName;
    this.reasonCode = reasonCode;
    this.echo = echo;
  }

  /**
   * Records one family that was acted on or reported: accounting first (the record that must
   * last), then its line. A family whose records cannot be written loses them whole (no torn
   * line); they are counted.
   */
  public synchronized void family(RunReport.FamilyReport f) {
    RunReport one = new RunReport(host, time, true, snapshot, List.of(f));
    if (f.outcome().isPresent()) {
      List<AccountingRecord> records = AccountingRecords.of(one, userName, reasonCode);
      try {
        accounting.append(records);
        recordsWritten += records.size();
      } catch (AccountingException e) {
        recordsLost += records.size();
        accountingProblem = accountingProblem.or(() -> Optional.of(e.getMessage()));
      }
    }
    String line = lines.family(one, f);
    if (f.outcome().map(o -> o.status() == KillOutcome.Status.SURVIVED).orElse(false)) {
      log.error(line);
    } else {
      log.notice(line);
    }
    echo.ifPresent(out -> {
      out.println(line);
      out.flush();
    });
  }

  /**
   * The run's closing line, and what could not be recorded.
   *
   * @return the accounting problem, if records were lost: "accounting: N of M record(s) lost:
   *     why"
   */
  public synchronized Optional<String> summary(RunReport r) {
    String summary = lines.summary(r);
    log.notice(summary);
    echo.ifPresent(out -> out.println(summary));
    Optional<String> lost = accountingProblem.map(p -> "accounting: " + recordsLost + " of "
        + (recordsLost + recordsWritten) + " record(s) lost: "
        + (p.startsWith("accounting: ") ? p.substring("accounting: ".length()) : p));
    lost.ifPresent(log::error);
    return lost;
  }

  /** Something an admin must look at, at level err. */
  public synchronized void error(String message) {
    log.error(message);
  }

  /** Why syslog did not get every line, if it did not. */
  public Optional<String> deliveryProblem() {
    return log.deliveryProblem();
  }

  @Override
  public void close() {
    log.close();
  }
}
