package org.orphanreaper.evidence;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What {@code scontrol listpids} (no job id) said about this node: it asks the node's own
 * slurmstepds, not the controller, so it is the node-local truth of which processes belong to
 * which running job. Asked once per run and kept, whatever it said.
 */
sealed interface SlurmListing {

  /**
   * The exact stderr of an idle node (every version from 22.05 on; the stdout beside it is the
   * header up to 24.05 and empty from 24.11 on).
   */
  String IDLE_MESSAGE = "No job steps exist on this node.";

  /** The node's job processes: pid to job id, and the jobs that have a step here. */
  record Listed(Map<Integer, String> pids, Set<String> jobs) implements SlurmListing {
    public Listed {
      pids = Map.copyOf(pids);
      jobs = Set.copyOf(jobs);
    }
  }

  /** No job step runs on this node. */
  record Idle() implements SlurmListing {}

  /**
   * The answer is not whole: any other failure (a stale socket in SlurmdSpoolDir gives "Unable to
   * connect to slurmstepd: Connection refused", a step that ends mid-query "StepId=J.S does not
   * exist on this node."), output that is not rows, a command that cannot be run. What rows it
   * printed are still true (22.05 to 24.05 and 26.05 print the other steps' rows; 24.11 to
   * 25.11 print nothing at all) and protect what they name; nothing else can be ruled out.
   *
   * @param why for messages, e.g. "scontrol listpids failed (exit 1): ..."
   * @param pids the rows it printed, pid to job id
   */
  record Unknown(String why, Map<Integer, String> pids) implements SlurmListing {
    public Unknown {
      pids = Map.copyOf(pids);
    }

    Unknown(String why) {
      this(why, Map.of());
    }
  }

  /** Reads a finished {@code scontrol listpids}. */
  static SlurmListing of(CommandRunner.Result r) {
    Map<Integer, String> pids;
    try {
      pids = parse(r.stdout());
    } catch (EvidenceUnavailable e) {
      return new Unknown(e.getMessage());
    }
    if (r.exit() != 0) {
      if (r.stderr().strip().equals(IDLE_MESSAGE) && pids.isEmpty()) {
        return new Idle();
      }
      return new Unknown("scontrol listpids failed (exit " + r.exit() + "): " + r.firstLine(),
          pids);
    }
    if (!r.stderr().isBlank()) {
      // exit 0 with complaints: some step may be missing from the rows
      return new Unknown("scontrol listpids complained: " + r.firstLine(), pids);
    }
    return new Listed(pids, new HashSet<>(pids.values()));
  }

  /** The processes it names as running jobs' (all of them only when it is Listed). */
  default Map<Integer, String> pids() {
    return Map.of();
  }

  /** Whether it says {@code job} has a step on this node. */
  default boolean runs(String job) {
    return this instanceof Listed l ? l.jobs().contains(job) : pids().containsValue(job);
  }

  /**
   * {@code PID JOBID STEPID LOCALID GLOBALID} lines (a header up to 24.05; from 24.11 on every
   * field ends with a space): the pid and the job of every process of the node's running jobs,
   * all of them, so read by hand (20,000 lines through a regex cost about 40 ms of a cold JVM).
   * A line that is not two numbers and more fails the whole answer.
   */
  static Map<Integer, String> parse(String text) throws EvidenceUnavailable {
    Map<Integer, String> out = new HashMap<>();
    for (int from = 0; from < text.length(); ) {
      int nl = text.indexOf('\n', from);
      int end = nl < 0 ? text.length() : nl;
      String t = text.substring(from, end).strip();
      from = end + 1;
      if (t.isEmpty() || t.startsWith("PID")) {
        continue;
      }
      int pidEnd = digits(t, 0);
      int jobStart = blanks(t, pidEnd);
      int jobEnd = digits(t, jobStart);
      long pid = pidEnd == 0 || pidEnd > 10 ? -1 : Long.parseLong(t, 0, pidEnd, 10);
      if (pid < 0 || pid > Integer.MAX_VALUE || jobStart == pidEnd || jobEnd == jobStart
          || blanks(t, jobEnd) == jobEnd) {
        throw new EvidenceUnavailable("scontrol listpids printed an unexpected line: " + t);
      }
      out.put((int) pid, t.substring(jobStart, jobEnd));
    }
    return out;
  }

  /** Where the ASCII digits of {@code s} from {@code i} end. */
  private static int digits(String s, int i) {
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  /** Where the blanks (spaces, tabs) of {@code s} from {@code i} end. */
  private static int blanks(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
