package org.orphanreaper.cli;

/** A command-line mistake; its message is the one line shown to the user. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
