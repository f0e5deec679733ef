package org.orphanreaper.proc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What is read only for candidates, because it costs more than stat or can block: credentials
 * from status, the command line, the executable path and the cgroups.
 *
 * @param credentials empty when status could not be read although the process exists, or was
 *     not read; the decision treats such a process as protected
 * @param cmdline argv joined by spaces, truncated; empty for zombies, kernel threads, when
 *     unreadable and when not read
 * @param exe the target of /proc/PID/exe, empty when unreadable (always for zombies) or not read
 * @param cgroups the path of every line of /proc/PID/cgroup, empty when unreadable or not read
 * @param read the parts read so far: what is not among them is unknown, not empty, and a later
 *     {@link ProcFs#read} reads it (and nothing twice)
 */
public record ProcDetails(
    Optional<Credentials> credentials,
    String cmdline,
    Optional<String> exe,
    Optional<List<String>> cgroups,
    Set<Part> read) {

  /** The parts of a process read beyond its stat, as procps' readproc fill flags name them. */
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
    START_TIME
  }

  /** What the decision needs of a candidate: everything but the cgroups, its identity checked. */
  public static final Set<Part> FULL = Collections.unmodifiableSet(
      EnumSet.of(Part.STATUS, Part.EXE, Part.CMDLINE, Part.START_TIME));
  /** {@link #FULL} and the cgroups, for rules and batch systems that look at them. */
  public static final Set<Part> FULL_WITH_CGROUP = Collections.unmodifiableSet(
      EnumSet.of(Part.STATUS, Part.EXE, Part.CMDLINE, Part.CGROUP, Part.START_TIME));
  /** What a kill reads again before a signal: credentials and exe, identity checked. */
  public static final Set<Part> CREDENTIALS = Collections.unmodifiableSet(
      EnumSet.of(Part.STATUS, Part.EXE, Part.START_TIME));

  /** Everything of {@link #FULL} has been read. */
  public boolean full() {
    return read.containsAll(FULL);
  }

  public boolean has(Part p) {
    return read.contains(p);
  }

  public ProcDetails {
    cgroups = cgroups.map(List::copyOf);
    read = partsOf(mask(read));
  }

  /** Every set of parts, by the bit mask of their ordinals: read of 20,000 processes shares them. */
  private static final List<Set<Part>> SETS = allSets();

  private static List<Set<Part>> allSets() {
    Part[] parts = Part.values();
    List<Set<Part>> out = new ArrayList<>(1 << parts.length);
    for (int mask = 0; mask < 1 << parts.length; mask++) {
      EnumSet<Part> set = EnumSet.noneOf(Part.class);
      for (Part p : parts) {
        if ((mask & 1 << p.ordinal()) != 0) {
          set.add(p);
        }
      }
      out.add(Collections.unmodifiableSet(set));
    }
    return List.copyOf(out);
  }

  /** The bit mask of {@code parts}' ordinals. */
  static int mask(Set<Part> parts) {
    int mask = 0;
    for (Part p : parts) {
      mask |= 1 << p.ordinal();
    }
    return mask;
  }

  /** The shared set of the parts whose ordinals {@code mask} has. */
  static Set<Part> partsOf(int mask) {
    return SETS.get(mask);
  }

  /** The paths of {@code hierarchy-ID:controllers:path} lines, in file order. */
  public static List<String> cgroupPaths(String text) {
    List<String> out = new ArrayList<>();
    for (int line = 0, end; line < text.length(); line = end + 1) {
      end = text.indexOf('\n', line);
      if (end < 0) {
        end = text.length();
      }
      int first = text.indexOf(':', line);
      int second = first < 0 || first >= end ? -1 : text.indexOf(':', first + 1);
      if (second >= 0 && second < end) {
        out.add(text.substring(second + 1, end));
      }
    }
    return out;
  }
}
