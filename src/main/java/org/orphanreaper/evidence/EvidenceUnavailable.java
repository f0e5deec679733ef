package org.orphanreaper.evidence;

/** A batch system that should have been asked could not be: the run must kill nothing. */
public final class EvidenceUnavailable extends Exception {
  private static final long serialVersionUID = 1L;

  public EvidenceUnavailable(String message) {
    super(message);
  }
}
