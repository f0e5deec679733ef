package org.orphanreaper.rules;

import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Account names for matching {@code users} and {@code groups} by name; empty when a uid or gid
 * has no name (or the directory could not be asked), which makes a name pattern UNKNOWN.
 */
public record Names(IntFunction<Optional<String>> user, IntFunction<Optional<String>> group) {

  /** No names at all: every name pattern is UNKNOWN, numeric ones still decide. */
  public static final Names NONE = new Names(u -> Optional.empty(), g -> Optional.empty());
}
