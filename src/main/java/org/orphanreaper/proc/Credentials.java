package org.orphanreaper.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who a process runs as, from the Uid/Gid/Groups lines of /proc/PID/status. All four uids are
 * kept because a setuid program has a real uid that differs from its effective one, and the
 * hard floor must look at every one of them.
 */
public record Credentials(
    int ruid, int euid, int suid, int fsuid, int rgid, int egid, List<Integer> groups) {

  public Credentials {
    groups = List.copyOf(groups);
  }

  /** The lowest of the four uids: what the uid floor is checked against. */
  public int lowestUid() {
    return Math.min(Math.min(ruid, euid), Math.min(suid, fsuid));
  }

  /** Parses the text of a status file; empty when a needed line is missing or malformed. */
  public static Optional<Credentials> parse(String status) {
    long[] uid = null;
    long[] gid = null;
    List<Integer> groups = null;
    for (String line : status.split("\n")) {
      if (line.startsWith("Uid:")) {
        uid = numbers(line.substring(4));
      } else if (line.startsWith("Gid:")) {
        gid = numbers(line.substring(4));
      } else if (line.startsWith("Groups:")) {
        long[] g = numbers(line.substring(7));
        if (g != null) {
          groups = new ArrayList<>(g.length);
          for (long v : g) {
            groups.add((int) v);
          }
        }
      }
    }
    if (uid == null || uid.length != 4 || gid == null || gid.length != 4 || groups == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Credentials(
            (int) uid[0], (int) uid[1], (int) uid[2], (int) uid[3], (int) gid[0], (int) gid[1],
            groups));
  }

  private static long[] numbers(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return new long[0];
    }
    String[] parts = t.split("\\s+");
    long[] out = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Long.parseLong(parts[i]);
      } catch (NumberFormatException e) {
        return null;
      }
      if (out[i] < 0 || out[i] > 0xFFFFFFFFL) {
        return null;
      }
    }
    return out;
  }
}
