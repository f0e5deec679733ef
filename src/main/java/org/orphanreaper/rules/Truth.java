package org.orphanreaper.rules;

/**
 * Three-valued result of a matcher. UNKNOWN is what a value that could not be read gives (an
 * unreadable exe, a user with no name): a protect entry counts it as a match and a rule as a
 * reason to stop deciding, so missing facts never make a family easier to kill.
 */
public enum Truth {
  YES,
  NO,
  UNKNOWN;

  public static Truth of(boolean b) {
    return b ? YES : NO;
  }

  /** Conjunction: NO wins over UNKNOWN, which wins over YES. */
  public Truth and(Truth other) {
    if (this == NO || other == NO) {
      return NO;
    }
    return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : YES;
  }

  /** Disjunction: YES wins over UNKNOWN, which wins over NO. */
  public Truth or(Truth other) {
    if (this == YES || other == YES) {
      return YES;
    }
    return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : NO;
  }

  public String word() {
    return switch (this) {
      case YES -> "yes";
      case NO -> "no";
      case UNKNOWN -> "unknown";
    };
  }
}
