package org.orphanreaper.proc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The parts of a process read beyond its stat, as procps' readproc fill flags name them: what
 * {@link ProcFs#read} is asked for, and what a {@link Proc} says it knows.
 */
public enum Part {
  /** status: the credentials (every thread's, where the process has several). */
  STATUS,
  /** The target of exe. */
  EXE,
  /** cmdline, truncated at ProcFs.CMDLINE_LIMIT. */
  CMDLINE,
  /** cgroup. */
  CGROUP,
  /**
   * stat read again after the other parts: a process whose start time changed meanwhile is
   * recorded as vanished, since what was read may be another's (the pid was reused). Kept
   * only while nothing was read after it.
   */
  START_TIME;

  /** What the decision needs of a candidate: everything but the cgroups, its identity checked. */
  public static final Set<Part> FULL = Collections.unmodifiableSet(
      EnumSet.of(STATUS, EXE, CMDLINE, START_TIME));
  /** {@link #FULL} and the cgroups, for rules and batch systems that look at them. */
  public static final Set<Part> FULL_WITH_CGROUP = Collections.unmodifiableSet(
      EnumSet.of(STATUS, EXE, CMDLINE, CGROUP, START_TIME));
  /** What a kill reads again before a signal: credentials and exe, identity checked. */
  public static final Set<Part> CREDENTIALS = Collections.unmodifiableSet(
      EnumSet.of(STATUS, EXE, START_TIME));

  /** This part's bit in a mask of parts. */
  int bit() {
    return 1 << ordinal();
  }

  /** The bit mask of {@code parts}. */
  static int mask(Set<Part> parts) {
    int mask = 0;
    for (Part p : parts) {
      mask |= p.bit();
    }
    return mask;
  }

  /** The shared set of the parts whose bits {@code mask} has. */
  static Set<Part> setOf(int mask) {
    return Sets.ALL.get(mask);
  }

  /** Every set of parts, by its mask: the reads of 20,000 processes share them. */
  private static final class Sets {
    static final List<Set<Part>> ALL = all();

    private static List<Set<Part>> all() {
      Part[] parts = values();
      List<Set<Part>> out = new ArrayList<>(1 << parts.length);
      for (int mask = 0; mask < 1 << parts.length; mask++) {
        EnumSet<Part> set = EnumSet.noneOf(Part.class);
        for (Part p : parts) {
          if ((mask & p.bit()) != 0) {
            set.add(p);
          }
        }
        out.add(Collections.unmodifiableSet(set));
      }
      return List.copyOf(out);
    }
  }
}
