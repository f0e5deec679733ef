package org.orphanreaper.sink.accounting;

/**
 * The accounting file could not be written, rotated or read. The message is one line for stderr and
 * syslog; the kill it would have recorded has already happened.
 */
public final class AccountingException extends Exception {
  public AccountingException(String message, Throwable cause) {
    super(message, cause);
  }
}
