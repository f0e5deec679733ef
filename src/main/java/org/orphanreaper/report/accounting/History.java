package org.orphanreaper.report.accounting;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code orphan-reaper history} prints, in the spirit of LSF's bhist and bacct: the accounting
 * records a query selects, oldest first, as a table or as JSON lines.
 */
public final class History {
  private History() {}

  /** The records {@code q} selects, oldest run first (stable within a run). */
  public static List<AccountingRecord> select(List<AccountingRecord> records, HistoryQuery q) {
    return records.stream()
        .filter(q::matches)
        .sorted(Comparator.comparing(AccountingRecord::time))
        .toList();
  }

  /**
   * The selected records as a table followed by a summary line, or as JSON lines in the accounting
   * file's own format (and nothing else, so that every line parses).
   */
  public static String render(List<AccountingRecord> records, HistoryQuery q, boolean json) {
    List<AccountingRecord> selected = select(records, q);
    StringBuilder b = new StringBuilder();
    if (json) {
      for (AccountingRecord r : selected) {
        b.append(AccountingJson.line(r)).append('\n');
      }
      return b.toString();
    }
    if (!selected.isEmpty()) {
      b.append(HistoryTable.render(selected));
    }
    return b.append(summary(selected)).append('\n').toString();
  }

  /**
   * "N records, M families, K users". A family is one root on one host in one run; a user is a uid
   * (an unknown uid counts once).
   */
  public static String summary(List<AccountingRecord> records) {
    Set<List<Object>> families = new HashSet<>();
    Set<Long> users = new HashSet<>();
    for (AccountingRecord r : records) {
      families.add(List.of(r.host(), r.time(), r.familyRoot()));
      users.add(r.uid());
    }
    return count(records.size(), "record")
        + ", "
        + count(families.size(), "family")
        + ", "
        + count(users.size(), "user");
  }

  private static String count(int n, String noun) {
    if (n == 1) {
      return "1 " + noun;
    }
    return n
        + " "
        + (noun.endsWith("y") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s");
  }
}
