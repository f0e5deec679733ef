package org.orphanreaper.act;

import org.orphanreaper.act.Signaller.Outcome;
import org.orphanreaper.base.Signal;

/** Says what a failed signalling call's errno means for the target process. */
final class ErrnoOutcome {

  // Linux's generic values, shared by x86_64 and arm64 (as are the signal numbers in Signal).
  static final int EPERM = 1;
  static final int ESRCH = 3;

  private ErrnoOutcome() {}

  /** ESRCH: the process no longer exists; EPERM: the kernel refused; anything else: failed. */
  static Outcome of(int errno) {
    switch (errno) {
      case ESRCH:
        return Outcome.GONE;
      case EPERM:
        return Outcome.DENIED;
      default:
        return Outcome.FAILED;
    }
  }
}
