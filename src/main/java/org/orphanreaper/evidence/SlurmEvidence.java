package org.orphanreaper.evidence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.proc.Proc;

/**
 * Slurm's knowledge, node-local first: the processes {@code scontrol listpids} names (asked once
 * per run, of the node's own slurmstepds) belong to running jobs; a process whose cgroup names a
 * job ({@link SlurmCgroup}) belongs to it, running when a step of that job runs here, else as
 * the controller says ({@link SlurmController}, asked about that job alone). The environment
 * (SLURM_JOB_ID) is never read: it says where a process came from, not that it may stay.
 *
 * <p>What cannot be had is not guessed: when listpids fails in any way but the idle node's, a
 * process without a job cgroup may be a running job's (proctrack/linuxproc and pgid know their
 * jobs' processes only by listing them), and when the controller cannot say how a job a cgroup
 * names stands, that job's processes may be running: both get an UNKNOWN mark, and their
 * families are not judged.
 */
public final class SlurmEvidence implements EvidenceProvider {

  private final CommandRunner runner;
  private final SlurmCommands commands;
  private final Duration timeout;
  private final SlurmController controller;
  private final Set<String> problems = Collections.synchronizedSet(new LinkedHashSet<>());
  /** What scontrol listpids answered; null until it was asked. */
  private SlurmListing listing;

  public SlurmEvidence(CommandRunner runner, SlurmCommands commands, Duration timeout) {
    this.runner = runner;
    this.commands = commands;
    this.timeout = timeout;
    this.controller = new SlurmController(runner, commands.squeue(), timeout);
  }

  @Override
  public String name() {
    return "slurm";
  }

  /**
   * The marks of {@code pids}, whose cgroups the snapshot holds. The controller is asked after
   * those reads, never before: a job that started after the question would be one it did not
   * know, that is, one that ended.
   */
  @Override
  public Map<Integer, List<JobMark>> collect(Snapshot s, Collection<Integer> pids) {
    SlurmListing here = listing();
    Map<Integer, String> inCgroup = new HashMap<>();
    Set<String> ask = new HashSet<>();
    for (int pid : pids) {
      Optional<String> job = SlurmCgroup.job(
          s.get(pid).flatMap(Proc::cgroups).orElse(List.of()));
      if (job.isPresent()) {
        inCgroup.put(pid, job.get());
        if (!here.runs(job.get())) {
          ask.add(job.get());
        }
      }
    }
    Map<String, SlurmController.Answer> states = controller.states(ask);
    states.forEach((job, a) -> {
      if (a.state() == JobState.UNKNOWN) {
        problems.add("slurm: cannot tell whether job " + job + " has ended: " + a.detail());
      }
    });
    Map<Integer, List<JobMark>> out = new HashMap<>();
    for (int pid : pids) {
      List<JobMark> marks = new ArrayList<>(2);
      String job = inCgroup.get(pid);
      if (job != null) {
        SlurmController.Answer a = states.get(job);
        JobState st = a == null ? JobState.RUNNING : a.state();
        marks.add(new JobMark(name(), job, st,
            st == JobState.UNKNOWN ? "cgroup; " + a.detail() : "cgroup"));
      }
      String listed = here.pids().get(pid);
      if (listed != null) {
        marks.add(new JobMark(name(), listed, JobState.RUNNING, "scontrol listpids"));
      } else if (job == null && here instanceof SlurmListing.Unknown u) {
        marks.add(new JobMark(name(), "?", JobState.UNKNOWN, u.why()));
      }
      if (!marks.isEmpty()) {
        out.put(pid, marks);
      }
    }
    return out;
  }

  /**
   * The processes {@code scontrol listpids} names, asked now (before the cgroups are read) and
   * kept for {@link #collect}: it only ever protects, so an answer older than the reads is safe
   * to use. Empty on an idle node and when it failed.
   */
  @Override
  public Set<Integer> knownRunning() {
    return listing().pids().keySet();
  }

  @Override
  public List<String> problems() {
    synchronized (problems) {
      return List.copyOf(problems);
    }
  }

  /** How many times this run asked slurmctld (scontrol listpids asks only the node). */
  public int controllerCalls() {
    return controller.calls();
  }

  private synchronized SlurmListing listing() {
    if (listing == null) {
      try {
        listing = SlurmListing.of(runner.run(commands.scontrol().argv("listpids"), timeout));
      } catch (EvidenceUnavailable e) {
        listing = new SlurmListing.Unknown(e.getMessage());
      }
      if (listing instanceof SlurmListing.Unknown u) {
        problems.add("slurm: " + u.why() + "; families with a process outside every job"
            + " cgroup are not judged");
      }
    }
    return listing;
  }
}
