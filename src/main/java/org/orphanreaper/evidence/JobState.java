package org.orphanreaper.evidence;

/** What a batch system says about the job a process carries the mark of. */
public enum JobState {
  /** The job is running, suspended, configuring, completing, requeued or pending. */
  RUNNING,
  /** The batch system knows the job and says it is over, or the mark belongs to no active job. */
  ENDED,
  /**
   * The batch system could not be asked (a failing command, a controller that is down): the
   * process may belong to a running job, so its family is not judged.
   */
  UNKNOWN;

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
