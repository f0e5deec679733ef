package org.orphanreaper.base;

import java.util.Locale;
import java.util.Optional;

/** The signals an admin may ask for, with their Linux numbers (x86_64 and arm64 agree). */
public enum Signal {
  HUP(1),
  INT(2),
  QUIT(3),
  ABRT(6),
  KILL(9),
  USR1(10),
  USR2(12),
  ALRM(14),
  TERM(15),
  CONT(18),
  STOP(19),
  XCPU(24);

  private final int number;

  Signal(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  /** Parses {@code TERM}, {@code SIGTERM}, {@code sigterm} or {@code 15}. */
  public static Optional<Signal> parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    if (t.startsWith("SIG")) {
      t = t.substring(3);
    }
    for (Signal s : values()) {
      if (s.name().equals(t) || Integer.toString(s.number).equals(t)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
