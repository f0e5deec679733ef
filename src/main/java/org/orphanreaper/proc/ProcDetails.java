package org.orphanreaper.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is read only for candidates, because it costs more than stat or can block: credentials
 * from status, the command line, the executable path and the cgroups.
 *
 * @param credentials empty when status could not be read although the process exists, or was
 *     not read (depth CGROUP); the decision treats such a process as protected
 * @param cmdline argv joined by spaces, truncated; empty for zombies, kernel threads and when
 *     unreadable
 * @param exe the target of /proc/PID/exe, empty when unreadable (always for zombies) or not read
 *     (depth CGROUP or CREDENTIALS)
 * @param cgroups the path of every line of /proc/PID/cgroup, empty when unreadable
 * @param depth what was read: below FULL, what was not read is unknown, not empty, and a later
 *     describe reads it
 */
public record ProcDetails(
    Optional<Credentials> credentials,
    String cmdline,
    Optional<String> exe,
    Optional<List<String>> cgroups,
    Depth depth) {

  /** How much of a process was read, from least to most. */
  public enum Depth {
    /** The cgroup file alone (ProcFs.describeCgroups), for batch-system marks. */
    CGROUP,
    /**
     * Credentials alone (ProcFs.describeCredentials, for a process whose exe it was not asked
     * for); cgroups too where they were read before.
     */
    CREDENTIALS,
    /**
     * Credentials and exe (ProcFs.describeLight, or describeCredentials where it was asked for
     * the exe); cgroups too where they were read before.
     */
    LIGHT,
    /** Everything: credentials, cmdline, exe and, when asked for, cgroups. */
    FULL
  }

  public boolean full() {
    return depth == Depth.FULL;
  }

  public ProcDetails {
    cgroups = cgroups.map(List::copyOf);
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
