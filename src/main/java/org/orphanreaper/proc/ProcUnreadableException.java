package org.orphanreaper.proc;

/** The procfs as a whole cannot be read, so no decision can be trusted. */
public final class ProcUnreadableException extends Exception {
  public ProcUnreadableException(String message) {
    super(message);
  }
}
