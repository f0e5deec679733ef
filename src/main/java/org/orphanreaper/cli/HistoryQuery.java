package org.orphanreaper.cli;

import java.time.Instant;
import java.util.Optional;
import org.orphanreaper.sink.accounting.AccountingRecord;

/**
 * Which accounting records {@code orphan-reaper history} shows; every filter given must hold.
 *
 * @param since only records of runs at or after this time
 * @param user only records of this user, by name or by uid
 * @param rule only records of families this rule decided
 */
public record HistoryQuery(Optional<Instant> since, Optional<String> user, Optional<String> rule) {

  public static HistoryQuery all() {
    return new HistoryQuery(Optional.empty(), Optional.empty(), Optional.empty());
  }

  public boolean matches(AccountingRecord r) {
    return since.map(s -> !r.time().isBefore(s)).orElse(true)
        && user.map(u -> isUser(r, u)).orElse(true)
        && rule.map(x -> r.rule().filter(x::equals).isPresent()).orElse(true);
  }

  /** A name, or a number that is the uid: user names that are all digits are not portable. */
  private static boolean isUser(AccountingRecord r, String u) {
    if (r.user().filter(u::equals).isPresent()) {
      return true;
    }
    return u.matches("[0-9]{1,10}") && r.uid() >= 0 && Long.parseLong(u) == r.uid();
  }
}
