package org.orphanreaper.act;

import org.orphanreaper.base.ProcId;
import org.orphanreaper.base.Signal;

/**
 * Sends one signal to one process, but only if it is still the process identified by {@link
 * ProcId} (same pid and same start time). Implementations: pidfd based, kill(2) fallback, and
 * recording fakes in tests.
 */
public interface Signaller extends AutoCloseable {

  /** What happened to one signal. */
  enum Outcome {
    /** Delivered to the identified process. */
    SENT,
    /** The process is gone, or its pid now belongs to another process; nothing was sent. */
    GONE,
    /** The kernel refused (EPERM). */
    DENIED,
    /** Any other error; nothing is known to have been sent. */
    FAILED
  }

  Outcome send(ProcId target, Signal signal);

  /** A short name for reports: "pidfd" or "kill". */
  String mechanism();

  @Override
  default void close() {}
}
