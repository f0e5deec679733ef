package org.orphanreaper.evidence;

/**
 * One piece of evidence: process carries the mark of a job.
 *
 * @param system "slurm", "gridengine", ...
 * @param job the job id, or a description of the mark when the job is unknown ("gid 65400")
 * @param source where the mark was seen: "cgroup", "scontrol listpids", "tracking gid"
 */
public record JobMark(String system, String job, JobState state, String source) {

  @Override
  public String toString() {
    return system + " job " + job + " " + state.word() + " (" + source + ")";
  }
}
