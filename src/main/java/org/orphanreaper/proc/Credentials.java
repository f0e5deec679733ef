package org.orphanreaper.proc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Who a process runs as, from the Uid/Gid/Groups lines of /proc/PID/status. All four uids are
 * kept because a setuid program has a real uid that differs from its effective one, and the
 * hard floor must look at every one of them.
 *
 * <p>Uids are the kernel's {@code uid_t}, unsigned 32-bit: kept as {@code long}s from 0 to
 * 4294967295, so a uid above 2^31 compares and prints as the number it is ((uid_t) -1, "no
 * uid", is 4294967295, the highest, not -1). Gids are kept as the {@code int} with the same 32
 * bits, and compared and printed unsigned where they are used.
 */
public record Credentials(
    long ruid, long euid, long suid, long fsuid, int rgid, int egid, List<Integer> groups) {

  public Credentials {
    groups = List.copyOf(groups);
  }

  /** The lowest of the four uids: what the uid floor is checked against. */
  public long lowestUid() {
    return Math.min(Math.min(ruid, euid), Math.min(suid, fsuid));
  }

  /** Parses the text of a status file; empty when a needed line is missing or malformed. */
  public static Optional<Credentials> parse(String status) {
    byte[] b = status.getBytes(StandardCharsets.UTF_8);
    return parse(b, b.length);
  }

  /**
   * Parses the status file read into {@code b[0..n)}. Works on the bytes, without a string per
   * line or a regular expression: nodes that need every process's credentials parse 20,000 of
   * these per run, most of it before the JIT has compiled anything. It stops at the last of the
   * three lines it needs, the 12th of about 60 in the kernel's order.
   */
  public static Optional<Credentials> parse(byte[] b, int n) {
    long[] uid = null;
    long[] gid = null;
    long[] groups = null;
    for (int line = 0, end; line < n && (uid == null || gid == null || groups == null);
        line = end + 1) {
      end = line;
      while (end < n && b[end] != '\n') {
        end++;
      }
      if (startsWith(b, line, end, UID)) {
        uid = numbers(b, line + UID.length, end);
      } else if (startsWith(b, line, end, GID)) {
        gid = numbers(b, line + GID.length, end);
      } else if (startsWith(b, line, end, GROUPS)) {
        groups = numbers(b, line + GROUPS.length, end);
      }
    }
    if (uid == null || uid.length != 4 || gid == null || gid.length != 4 || groups == null) {
      return Optional.empty();
    }
    List<Integer> g = new ArrayList<>(groups.length);
    for (long v : groups) {
      g.add((int) v);
    }
    return Optional.of(
        new Credentials(
            uid[0], uid[1], uid[2], uid[3], (int) gid[0], (int) gid[1],
            g));
  }

  private static final byte[] UID = "Uid:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GID = "Gid:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GROUPS = "Groups:".getBytes(StandardCharsets.US_ASCII);

  private static boolean startsWith(byte[] b, int from, int end, byte[] prefix) {
    if (end - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The unsigned 32-bit decimal numbers, separated by blanks, in {@code b[from..end)}; null
   * when anything else is there.
   */
  private static long[] numbers(byte[] b, int from, int end) {
    long[] out = new long[4];
    int count = 0;
    int i = from;
    while (true) {
      while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == 0x0B
          || b[i] == '\f')) {
        i++;
      }
      if (i == end) {
        return Arrays.copyOf(out, count);
      }
      long v = 0;
      int digits = 0;
      for (; i < end && b[i] >= '0' && b[i] <= '9'; i++, digits++) {
        v = v * 10 + (b[i] - '0');
        if (v > 0xFFFFFFFFL) {
          return null;
        }
      }
      if (digits == 0) {
        return null;
      }
      if (count == out.length) {
        out = Arrays.copyOf(out, count * 2);
      }
      out[count++] = v;
    }
  }
}
