package org.orphanreaper.evidence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the batch systems said in one run: the marks of each process. */
public record Evidence(Map<Integer, List<JobMark>> marks) {

  public static final Evidence NONE = new Evidence(Map.of());

  public Evidence {
    Map<Integer, List<JobMark>> m = new HashMap<>();
    marks.forEach((pid, l) -> m.put(pid, List.copyOf(l)));
    marks = Collections.unmodifiableMap(m);
  }

  public List<JobMark> of(int pid) {
    return marks.getOrDefault(pid, List.of());
  }

  /**
   * RUNNING if any mark says so, else UNKNOWN if any says so (a mark that could not be judged
   * may be a running job's), else ENDED if any says so, else empty (no job).
   */
  public Optional<JobState> stateOf(int pid) {
    List<JobMark> l = of(pid);
    if (l.stream().anyMatch(m -> m.state() == JobState.RUNNING)) {
      return Optional.of(JobState.RUNNING);
    }
    if (l.stream().anyMatch(m -> m.state() == JobState.UNKNOWN)) {
      return Optional.of(JobState.UNKNOWN);
    }
    return l.isEmpty() ? Optional.empty() : Optional.of(JobState.ENDED);
  }

  /** The first mark whose job's state could not be had, when no mark says the job runs. */
  public Optional<JobMark> unknown(int pid) {
    return stateOf(pid).filter(st -> st == JobState.UNKNOWN)
        .flatMap(st -> of(pid).stream().filter(m -> m.state() == JobState.UNKNOWN).findFirst());
  }

  /** The first mark of a running job, for reasons. */
  public Optional<JobMark> running(int pid) {
    return of(pid).stream().filter(m -> m.state() == JobState.RUNNING).findFirst();
  }

  /** These marks and {@code more}'s, for a run that asked about some processes later. */
  public Evidence and(Evidence more) {
    Map<Integer, List<JobMark>> all = new HashMap<>(marks);
    more.marks.forEach((pid, l) -> all.merge(pid, l, (a, b) -> {
      List<JobMark> both = new ArrayList<>(a);
      both.addAll(b);
      return both;
    }));
    return new Evidence(all);
  }

  /** Asks every provider; any failure fails the whole collection (fail closed). */
  public static Evidence collect(List<EvidenceProvider> providers,
      org.orphanreaper.proc.Snapshot s, java.util.Collection<Integer> pids)
      throws EvidenceUnavailable {
    Map<Integer, List<JobMark>> all = new HashMap<>();
    for (EvidenceProvider p : providers) {
      p.collect(s, pids).forEach(
          (pid, l) -> all.computeIfAbsent(pid, k -> new ArrayList<>()).addAll(l));
    }
    return new Evidence(all);
  }
}
