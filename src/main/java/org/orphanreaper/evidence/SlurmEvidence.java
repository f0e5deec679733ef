package org.orphanreaper.evidence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orphanreaper.proc.ProcDetails;
import org.orphanreaper.proc.Snapshot;

/**
 * Slurm's knowledge: the job a process's cgroup names (v1 {@code .../slurm/uid_U/job_J/...},
 * v2 {@code .../slurmstepd.scope/job_J/...}), the processes {@code scontrol listpids} lists for
 * running jobs, and the state of every job from {@code squeue}. The environment
 * (SLURM_JOB_ID) is never read: it says where a process came from, not that it may stay.
 */
public final class SlurmEvidence implements EvidenceProvider {

  private static final Pattern CGROUP_JOB =
      Pattern.compile("(?:/slurm[^/]*(?:/uid_\\d+)?|/slurmstepd\\.scope)/job_(\\d+)(?:/|$)");
  private static final Pattern SQUEUE_LINE = Pattern.compile("(\\d+)\\|([A-Z_]+)");
  /** States after which no process of the job may remain; anything else counts as running. */
  private static final Set<String> ENDED = Set.of("COMPLETED", "CANCELLED", "FAILED", "TIMEOUT",
      "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REVOKED");

  private final CommandRunner runner;
  private final Duration timeout;
  /**
   * What {@code scontrol listpids} answered, asked once per run (early, by {@link
   * #knownRunning}) and kept for the marks: it only ever protects, so an answer older than the
   * process reads is safe to use. Null until it answered.
   */
  private Map<Integer, String> listed;

  public SlurmEvidence(CommandRunner runner, Duration timeout) {
    this.runner = runner;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "slurm";
  }

  @Override
  public Map<Integer, List<JobMark>> collect(Snapshot s, Collection<Integer> pids)
      throws EvidenceUnavailable {
    // squeue is asked now, after the reads whose cgroups it judges, never earlier: a job that
    // started after the question would be one squeue does not know, that is, one that ended.
    Map<String, String> jobs = jobStates();
    Map<Integer, String> listedNow = jobs.values().stream().anyMatch(st -> !ENDED.contains(st))
        ? listed() : Map.of();
    Map<Integer, List<JobMark>> out = new HashMap<>();
    for (int pid : pids) {
      List<JobMark> marks = new ArrayList<>();
      cgroupJob(s, pid).ifPresent(job -> marks.add(new JobMark("slurm", job,
          running(jobs.get(job)) ? JobState.RUNNING : JobState.ENDED, "cgroup")));
      String job = listedNow.get(pid);
      if (job != null) {
        marks.add(new JobMark("slurm", job, JobState.RUNNING, "scontrol listpids"));
      }
      if (!marks.isEmpty()) {
        out.put(pid, marks);
      }
    }
    return out;
  }

  /**
   * The processes {@code scontrol listpids} names. Asked before the controller is, so a node
   * without jobs answers with an error ("No job steps exist on this node.", exit 1): nothing is
   * known to run then, every cgroup is read, and {@link #collect} asks again should squeue show
   * a running job.
   */
  @Override
  public Set<Integer> knownRunning() {
    try {
      return listed().keySet();
    } catch (EvidenceUnavailable e) {
      return Set.of();
    }
  }

  private Map<Integer, String> listed() throws EvidenceUnavailable {
    if (listed == null) {
      listed = listpids();
    }
    return listed;
  }

  /** A job squeue no longer knows (purged after MinJobAge) has ended too. */
  private static boolean running(String state) {
    return state != null && !ENDED.contains(state);
  }

  static Optional<String> cgroupJob(Snapshot s, int pid) {
    for (String path : s.detailsOf(pid).flatMap(ProcDetails::cgroups).orElse(List.of())) {
      Matcher m = CGROUP_JOB.matcher(path);
      if (m.find()) {
        return Optional.of(m.group(1));
      }
    }
    return Optional.empty();
  }

  /** Job id to state, for every job the controller knows; a failure is never "no jobs". */
  Map<String, String> jobStates() throws EvidenceUnavailable {
    return parseSqueue(runner.output("slurm",
        List.of("squeue", "--noheader", "--all", "--states=all", "--format=%A|%T"), timeout));
  }

  static Map<String, String> parseSqueue(String text) throws EvidenceUnavailable {
    Map<String, String> jobs = new HashMap<>();
    for (String line : text.split("\n")) {
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      Matcher m = SQUEUE_LINE.matcher(t);
      if (!m.matches()) {
        throw new EvidenceUnavailable("slurm: squeue printed an unexpected line: " + t);
      }
      jobs.put(m.group(1), m.group(2));
    }
    return jobs;
  }

  private Map<Integer, String> listpids() throws EvidenceUnavailable {
    return parseListpids(runner.output("slurm", List.of("scontrol", "listpids"), timeout));
  }

  /**
   * {@code PID JOBID STEPID LOCALID GLOBALID} lines: the pid and the job of every process of the
   * node's running jobs, all of them, so read by hand (20,000 lines through a regex cost about
   * 40 ms of a cold JVM). A line that is not two numbers and more fails the whole answer.
   */
  static Map<Integer, String> parseListpids(String text) throws EvidenceUnavailable {
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
        throw new EvidenceUnavailable("slurm: scontrol listpids printed an unexpected line: "
            + t);
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
