package org.orphanreaper.evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orphanreaper.proc.Snapshot;

/**
 * Grid Engine's per-job tracking GIDs (what ENABLE_ADDGRP_KILL uses): every process of a job
 * carries its extra GID from {@code gid_range}; the GIDs of active jobs are in the execd spool's
 * {@code active_jobs/JOB.TASK/addgrpid}. A process carrying an active job's GID belongs to it;
 * one carrying a tracking GID no active job holds is a leftover of an ended job.
 */
public final class GridEngineEvidence implements EvidenceProvider {

  private static final Pattern GID_RANGE =
      Pattern.compile("(?m)^gid_range\\s+(\\d+)\\s*-\\s*(\\d+)\\s*$");

  private final CommandRunner runner;
  private final Duration timeout;
  private final Path spool;

  /** @param spool the execd spool directory of this host (holds active_jobs) */
  public GridEngineEvidence(CommandRunner runner, Duration timeout, Path spool) {
    this.runner = runner;
    this.timeout = timeout;
    this.spool = spool;
  }

  @Override
  public String name() {
    return "gridengine";
  }

  @Override
  public Map<Integer, List<JobMark>> collect(Snapshot s, Collection<Integer> pids)
      throws EvidenceUnavailable {
    TrackingGids tracking = new TrackingGids(List.of(gidRange()));
    Map<Long, String> active = activeGids(spool);
    Map<Integer, List<JobMark>> out = new HashMap<>();
    for (int pid : pids) {
      for (long gid : tracking.of(s, pid)) {
        String job = active.get(gid);
        // every GID's mark is kept: one of a running job outweighs any number of ended ones
        out.computeIfAbsent(pid, k -> new ArrayList<>()).add(job != null
            ? new JobMark("gridengine", job, JobState.RUNNING, "tracking gid " + gid)
            : new JobMark("gridengine", "gid " + gid, JobState.ENDED, "tracking gid " + gid));
      }
    }
    return out;
  }

  /** The cluster's gid_range, from the global configuration. */
  private long[] gidRange() throws EvidenceUnavailable {
    return parseGidRange(runner.output("gridengine", List.of("qconf", "-sconf"), timeout));
  }

  static long[] parseGidRange(String conf) throws EvidenceUnavailable {
    Matcher m = GID_RANGE.matcher(conf);
    if (!m.find()) {
      throw new EvidenceUnavailable("gridengine: no gid_range in qconf -sconf");
    }
    long from;
    long to;
    try {
      from = Long.parseLong(m.group(1));
      to = Long.parseLong(m.group(2));
    } catch (NumberFormatException e) {
      throw new EvidenceUnavailable("gridengine: gid_range " + m.group(1) + "-" + m.group(2)
          + " is out of range");
    }
    if (from > to) {
      throw new EvidenceUnavailable("gridengine: gid_range " + from + "-" + to + " is empty");
    }
    return new long[] {from, to};
  }

  /** Tracking GID to job.task, from active_jobs; an unreadable spool is never "no jobs". */
  static Map<Long, String> activeGids(Path spool) throws EvidenceUnavailable {
    Path dir = spool.resolve("active_jobs");
    Map<Long, String> out = new HashMap<>();
    try (DirectoryStream<Path> jobs = Files.newDirectoryStream(dir)) {
      for (Path job : jobs) {
        Path file = job.resolve("addgrpid");
        if (!Files.exists(file)) {
          continue; // a job still being set up has no GID yet; it has no processes either
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
          out.put(Long.parseLong(text), job.getFileName().toString());
        } catch (NumberFormatException e) {
          throw new EvidenceUnavailable("gridengine: " + file + " holds '" + text
              + "', not a gid");
        }
      }
    } catch (IOException e) {
      throw new EvidenceUnavailable("gridengine: cannot read " + dir + ": " + e.getMessage());
    }
    return out;
  }
}
