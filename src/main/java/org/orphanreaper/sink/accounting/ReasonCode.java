package org.orphanreaper.sink.accounting;

/**
 * Why a process was terminated, in the style of LSF's accounting reason codes (TERM_ORPHAN_SYSTEM
 * and friends), so that sites can count terminations by cause.
 */
public enum ReasonCode {
  /** Its family was orphaned to init and a rule chose to kill it: every kill today. */
  TERM_ORPHAN,
  /** It had no ancestor that is a batch system daemon (lineage check). */
  TERM_LINEAGE,
  /** It carried the tracking gid of a batch job that had ended. */
  TERM_JOB_GID
}
