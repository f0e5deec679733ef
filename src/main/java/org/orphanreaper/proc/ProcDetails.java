package org.orphanreaper.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What is read only for candidates, because it costs more than stat or can block: credentials
 * from status, the command line, the executable path and the cgroups.
 *
 * @param credentials empty when status could not be read although the process exists; the
 *     decision treats such a process as protected
 * @param cmdline argv joined by spaces, truncated; empty for zombies, kernel threads and when
 *     unreadable
 * @param exe the target of /proc/PID/exe, empty when unreadable (always for zombies)
 * @param cgroups the path of every line of /proc/PID/cgroup, empty when unreadable
 * @param full false when only credentials and exe were read (see ProcFs.describeLight): the
 *     cmdline and cgroups are then unknown, not empty, and a later describe reads them
 */
public record ProcDetails(
    Optional<Credentials> credentials,
    String cmdline,
    Optional<String> exe,
    Optional<List<String>> cgroups,
    boolean full) {

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
