package org.orphanreaper.act;

/**
 * No native call can be bound on this node (jffi's stub is missing, cannot be extracted or
 * cannot be loaded): nothing can be signalled. The message is the reason, in one line.
 */
public final class SignallingUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SignallingUnavailable(String reason) {
    super(reason);
  }
}
