package org.orphanreaper.evidence;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What slurmctld says about single jobs: {@code squeue --jobs=J}, one job per call, which the
 * controller answers from that job's record alone (several ids, or none, would make squeue load
 * the whole cluster's queue, in every version). {@code --local} spares the federation query,
 * {@code --states=all} keeps squeue's default filter from hiding a job that ended but is still
 * known. Asked only about jobs whose marks were found on this node and that no step of this node
 * vouches for, so an idle node without such marks never asks at all.
 *
 * <p>A SLUID (26.05's cgroup directories) is asked as it is (26.05's squeue takes one for a job
 * id) and matched by squeue's SLUID field.
 */
final class SlurmController {

  /** What squeue says when the controller no longer knows a job (purged after MinJobAge). */
  static final String PURGED = "Invalid job id specified";

  /** States after which no process of the job may remain; anything else counts as running. */
  private static final Set<String> ENDED = Set.of("COMPLETED", "CANCELLED", "FAILED", "TIMEOUT",
      "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REVOKED");

  /** A job's state as the controller gave it, or why it could not be had. */
  record Answer(JobState state, String detail) {}

  private final CommandRunner runner;
  private final SlurmCommands.Command squeue;
  private final Duration timeout;
  /**
   * Jobs the controller said run. Only those are kept: an answer that a job ended or is unknown
   * is true only of cgroups read before it was asked (a job submitted after the question would
   * be one the controller did not know yet), so it is asked again for later reads.
   */
  private final Map<String, Answer> running = new HashMap<>();
  private int calls;

  SlurmController(CommandRunner runner, SlurmCommands.Command squeue, Duration timeout) {
    this.runner = runner;
    this.squeue = squeue;
    this.timeout = timeout;
  }

  /** How many times the controller was asked in this run. */
  int calls() {
    return calls;
  }

  /**
   * The state of each of {@code jobs}, each asked once (or taken from an earlier RUNNING), in
   * the order of their ids: which ones a spent budget leaves unasked is the same every run.
   */
  Map<String, Answer> states(Set<String> jobs) {
    Map<String, Answer> out = new HashMap<>();
    for (String job : new TreeSet<>(jobs)) {
      Answer a = running.get(job);
      if (a == null) {
        a = ask(job);
        if (a.state() == JobState.RUNNING) {
          running.put(job, a);
        }
      }
      out.put(job, a);
    }
    return out;
  }

  private Answer ask(String job) {
    calls++;
    CommandRunner.Result r;
    try {
      r = runner.run(squeue.argv("--jobs=" + job, "--local", "--noheader", "--states=all",
          SlurmCgroup.sluid(job) ? "--format=%s|%T" : "--format=%A|%T"), timeout);
    } catch (EvidenceUnavailable e) {
      return new Answer(JobState.UNKNOWN, e.getMessage());
    }
    if (r.exit() != 0) {
      if (r.stdout().isBlank() && r.stderr().strip().endsWith(PURGED)) {
        return new Answer(JobState.ENDED, "unknown to the controller");
      }
      return new Answer(JobState.UNKNOWN, "squeue failed (exit " + r.exit() + "): "
          + r.firstLine());
    }
    return parse(job, r.stdout());
  }

  /**
   * {@code JOBID|STATE} (or {@code SLUID|STATE}) lines; the one for {@code job} decides. An array's meta record or a
   * heterogeneous job's leader can bring more lines, which are passed over. No line for the job
   * although squeue succeeded is not an answer (a purged job is an error, {@link #PURGED}).
   */
  static Answer parse(String job, String text) {
    for (String line : text.split("\n")) {
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      int bar = t.indexOf('|');
      String state = bar < 0 ? "" : t.substring(bar + 1);
      if (bar <= 0 || !t.substring(0, bar).chars().allMatch(Character::isLetterOrDigit)
          || state.isEmpty() || !state.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c == '_')) {
        return new Answer(JobState.UNKNOWN, "squeue printed an unexpected line: " + t);
      }
      if (t.substring(0, bar).equals(job)) {
        return ENDED.contains(state) ? new Answer(JobState.ENDED, state)
            : new Answer(JobState.RUNNING, state);
      }
    }
    return new Answer(JobState.UNKNOWN, "squeue did not list job " + job);
  }
}
