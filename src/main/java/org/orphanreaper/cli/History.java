package org.orphanreaper.cli;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.orphanreaper.cli.HistoryTable;
import org.orphanreaper.sink.accounting.AccountingException;
import org.orphanreaper.sink.accounting.AccountingJson;
import org.orphanreaper.sink.accounting.AccountingRecord;

/**
 * What {@code orphan-reaper history} prints, in the spirit of LSF's bhist and bacct: the accounting
 * records a query selects, in the order they were written (oldest file first), as a table or as
 * JSON lines. Records are printed as they are read, never all held: JSON lines in one pass over
 * the files, the table in two (the first sizes its columns and counts the summary).
 */
public final class History {
  private History() {}

  /** Records in order, from the start on every call. */
  @FunctionalInterface
  public interface Records {
    void forEach(Consumer<AccountingRecord> each) throws AccountingException;
  }

  /**
   * The selected records as a table followed by a summary line, or as JSON lines in the accounting
   * file's own format (and nothing else, so that every line parses).
   */
  public static void print(Records records, HistoryQuery q, boolean json, PrintWriter out)
      throws AccountingException {
    if (json) {
      records.forEach(r -> {
        if (q.matches(r)) {
          out.print(AccountingJson.line(r) + "\n");
        }
      });
      return;
    }
    HistoryTable table = new HistoryTable();
    Summary summary = new Summary();
    records.forEach(r -> {
      if (q.matches(r)) {
        table.measure(r);
        summary.add(r);
      }
    });
    if (summary.records > 0) {
      out.print(table.header() + "\n");
      records.forEach(r -> {
        if (q.matches(r)) {
          out.print(table.row(r) + "\n");
        }
      });
    }
    out.print(summary + "\n");
  }

  /**
   * "N records, M families, K users". A family is one root on one host in one run; a user is a uid
   * (an unknown uid counts once). A run appends a family's records together, so a family is
   * counted where the records' family changes, without remembering every one.
   */
  static final class Summary {
    private long records;
    private long families;
    private List<Object> family;
    private final Set<Long> users = new HashSet<>();

    void add(AccountingRecord r) {
      records++;
      List<Object> f = List.of(r.host(), r.time(), r.familyRoot());
      if (!f.equals(family)) {
        families++;
        family = f;
      }
      users.add(r.uid());
    }

    @Override
    public String toString() {
      return count(records, "record") + ", " + count(families, "family") + ", "
          + count(users.size(), "user");
    }

    private static String count(long n, String noun) {
      if (n == 1) {
        return "1 " + noun;
      }
      return n + " "
          + (noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s");
    }
  }
}
