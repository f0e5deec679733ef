package org.orphanreaper.sink.accounting;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.orphanreaper.act.KillOutcome;

/**
 * One line of the accounting file: one process of a family the reaper acted on, what was sent to it
 * and how it ended. The JSON field names are given with each component.
 *
 * @param time {@code time}: when the run started; shared by every record of the run, so that (host,
 *     time, familyRoot) names one family
 * @param host {@code host}: the node
 * @param pid {@code pid}
 * @param startTime {@code start_time}: when the process started; with the pid it names the process
 *     unambiguously
 * @param uid {@code uid}: the real uid, 0 to 4294967295; -1 when it could not be read
 * @param user {@code user}: the name of the uid (the number when it has none); empty (JSON null)
 *     when the uid is unknown
 * @param sid {@code sid}: the session id
 * @param familyRoot {@code family_root}: the pid of the family's first root
 * @param comm {@code comm}: the kernel's command name
 * @param cmdline {@code cmdline}: argv joined by spaces, or {@code [comm]} when unreadable
 * @param cputime {@code cputime_s}: CPU time used, in seconds with millisecond precision
 * @param walltime {@code walltime_s}: age at the scan, in seconds with millisecond precision
 * @param rule {@code rule}: the rule that decided (JSON null when none did)
 * @param signals {@code signals}: the names of the signals sent, in order (STOP and CONT too)
 * @param result {@code result}: how it ended
 * @param reasonCode {@code reason_code}
 * @param reason {@code reason}: the verdict's reason, as in syslog
 */
public record AccountingRecord(
    Instant time,
    String host,
    int pid,
    Instant startTime,
    long uid,
    Optional<String> user,
    int sid,
    int familyRoot,
    String comm,
    String cmdline,
    Duration cputime,
    Duration walltime,
    Optional<String> rule,
    List<String> signals,
    Result result,
    ReasonCode reasonCode,
    String reason) {

  public AccountingRecord {
    signals = List.copyOf(signals);
  }

  /** How one process ended, as written in the {@code result} field. */
  public enum Result {
    EXITED("exited"),
    KILLED("killed"),
    SURVIVED("survived"),
    VANISHED("vanished"),
    ZOMBIE("zombie"),
    /** Left alone although its family was not aborted (not produced by today's kill protocol). */
    SPARED("spared"),
    /** Resumed and left alone because a protected process joined its family during the kill. */
    ABORTED("aborted");

    private final String label;

    Result(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static Optional<Result> ofLabel(String label) {
      for (Result r : values()) {
        if (r.label.equals(label)) {
          return Optional.of(r);
        }
      }
      return Optional.empty();
    }

    /**
     * A member's result, except that a member spared by an aborted kill is "aborted": the
     * accounting line must say the kill was called off, which "spared" alone does not.
     */
    public static Result of(KillOutcome.Status family, KillOutcome.Result member) {
      return switch (member) {
        case EXITED -> EXITED;
        case KILLED -> KILLED;
        case SURVIVED -> SURVIVED;
        case VANISHED -> VANISHED;
        case ZOMBIE -> ZOMBIE;
        case SPARED -> family == KillOutcome.Status.ABORTED ? ABORTED : SPARED;
      };
    }
  }
}
