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

  /** One family: the decision and, when it was acted on, the outcome. */
  public record FamilyReport(Decision decision, Optional<KillOutcome> outcome) {

    public boolean selected() {
      return decision.kills();
    }

    /** "kill" or "keep". */
    public String action() {
      return decision.kills() ? "kill" : "keep";
    }

    /** would-kill, killed, survived, vanished, aborted or kept. */
    public String result() {
      if (decision.verdict() instanceof Verdict.Keep) {
        return "kept";
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

  public List<FamilyReport> kept() {
    return families.stream().filter(f -> !f.selected()).toList();
  }

  /** Processes still alive after SIGKILL, over all families. */
  public int survivors() {
    return families.stream()
        .flatMap(f -> f.outcome().stream())
        .mapToInt(o -> o.survivors().size())
        .sum();
  }
}
