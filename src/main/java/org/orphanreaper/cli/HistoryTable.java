package org.orphanreaper.cli;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.orphanreaper.report.Escape;
import org.orphanreaper.sink.accounting.AccountingRecord;

/**
 * The history as a table whose columns are as wide as their content, up to a cap: every row is
 * {@link #measure measured} first, then printed, so no row needs to be held.
 */
final class HistoryTable {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  /** One column: its header, widest cell, and alignment. */
  private record Column(String header, int cap, boolean right) {}

  private static final List<Column> COLUMNS =
      List.of(
          new Column("TIME", 20, false),
          new Column("HOST", 24, false),
          new Column("USER", 16, false),
          new Column("PID", 10, true),
          new Column("COMMAND", 40, false),
          new Column("RULE", 24, false),
          new Column("SIGNALS", 30, false),
          new Column("RESULT", 8, false),
          new Column("REASON_CODE", 12, false));

  private final int[] widths = new int[COLUMNS.size()];

  HistoryTable() {
    measure(COLUMNS.stream().map(Column::header).toList());
  }

  /** Widens the columns to fit {@code r}'s row. */
  void measure(AccountingRecord r) {
    measure(cells(r));
  }

  String header() {
    return line(COLUMNS.stream().map(Column::header).toList());
  }

  String row(AccountingRecord r) {
    return line(cells(r));
  }

  private void measure(List<String> cells) {
    for (int i = 0; i < widths.length; i++) {
      widths[i] = Math.max(widths[i], Math.min(cells.get(i).length(), COLUMNS.get(i).cap()));
    }
  }

  private static List<String> cells(AccountingRecord r) {
    // Users choose their argv, and the file is only as trusted as its writer: every cell is
    // escaped so no row can be forged and no escape sequence reaches the admin's terminal.
    return List.of(
            TIME.format(r.time()),
            r.host(),
            r.user().orElse("?"),
            Integer.toString(r.pid()),
            r.cmdline().isEmpty() ? r.comm() : r.cmdline(),
            r.rule().orElse("-"),
            r.signals().isEmpty() ? "-" : String.join(",", r.signals()),
            r.result().label(),
            r.reasonCode().name())
        .stream()
        .map(Escape::text)
        .toList();
  }

  private String line(List<String> cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < widths.length; i++) {
      String cell = fit(cells.get(i), widths[i]);
      String pad = " ".repeat(widths[i] - cell.length());
      line.append(i == 0 ? "" : "  ").append(COLUMNS.get(i).right() ? pad + cell : cell + pad);
    }
    return line.toString().stripTrailing();
  }

  private static String fit(String s, int width) {
    if (s.length() <= width) {
      return s;
    }
    int end = width - 3;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--; // never cut a character in half
    }
    return s.substring(0, end) + "...";
  }
}
