package org.orphanreaper.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.orphanreaper.act.KillOutcome;
import org.orphanreaper.plan.Decision;
import org.orphanreaper.plan.Verdict;
import org.orphanreaper.proc.Snapshot;

/**
 * Everything one run decided and did, in the form every renderer (listing, JSON, syslog) reads.
 *
 * @param host the node's name
 * @param time when the scan started
 * @param killMode false for --debug
 * @param snapshot the scan the decisions were made on
 * @param families every orphaned family with its decision and, in kill mode, what happened
 */
public record RunReport(
    String host, Instant time, boolean killMode, Snapshot snapshot, List<FamilyReport> families) {

  public RunReport {
    families = List.copyOf(families);
  }

  /**
   * One family: the decision and, when it was acted on, the outcome.
   *
   * @param live whether the run was in kill mode, so that a report is "reported", not "would-"
   * @param membersRead false when only its first member was read, because the hard floor
   *     protects the family through it: the reports list that member and the family's size
   */
  public record FamilyReport(Decision decision, Optional<KillOutcome> outcome, boolean live,
      boolean membersRead) {

    public boolean selected() {
      return decision.kills();
    }

    /** A report rule matched: listed and logged, never signalled. */
    public boolean reported() {
      return decision.verdict() instanceof Verdict.Report;
    }

    /** "kill", "report" or "keep". */
    public String action() {
      if (decision.kills()) {
        return "kill";
      }
      return reported() ? "report" : "keep";
    }

    /** would-kill, killed, survived, vanished, aborted, reported or kept. */
    public String result() {
      if (decision.verdict() instanceof Verdict.Keep) {
        return "kept";
      }
      if (reported()) {
        return live ? "reported" : "would-report";
      }
      return outcome.map(o -> o.status().label()).orElse("would-kill");
    }
  }

  public String mode() {
    return killMode ? "kill" : "debug";
  }

  public List<FamilyReport> selected() {
    return families.stream().filter(FamilyReport::selected).toList();
  }

  public List<FamilyReport> reported() {
    return families.stream().filter(FamilyReport::reported).toList();
  }

  /** What syslog gets a line for: families killed and families reported. */
  public List<FamilyReport> logged() {
    return families.stream().filter(f -> f.selected() || f.reported()).toList();
  }

  public List<FamilyReport> kept() {
    return families.stream().filter(f -> !f.selected() && !f.reported()).toList();
  }

  /** Processes still alive after SIGKILL, over all families. */
  public int survivors() {
    return families.stream()
        .flatMap(f -> f.outcome().stream())
        .mapToInt(o -> o.survivors().size())
        .sum();
  }
}
