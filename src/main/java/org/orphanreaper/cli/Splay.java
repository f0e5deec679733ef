package org.orphanreaper.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;

/**
 * {@code --splay DUR}: a delay before the scan that is the same on every run of one node and
 * spread evenly over [0, DUR) across nodes, like systemd's {@code FixedRandomDelay}. A cluster
 * whose nodes all run from cron at the same minute then asks its batch controller a little at a
 * time, and each node still runs at a fixed period.
 */
final class Splay {
  private Splay() {}

  /** The longest splay accepted: more than a day would outlast any sane schedule. */
  static final Duration MAX = Duration.ofDays(1);

  /** Where the node's stable identity is read from, first found wins; else the host name. */
  private static final List<Path> MACHINE_ID =
      List.of(Path.of("/etc/machine-id"), Path.of("/var/lib/dbus/machine-id"));

  /** This node's delay within {@code max}. */
  static Duration delay(String nodeKey, Duration max) {
    if (max.isZero()) {
      return Duration.ZERO;
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest(("orphan-reaper splay " + nodeKey).getBytes(StandardCharsets.UTF_8));
      long bits = 0;
      for (int i = 0; i < 7; i++) {
        bits = bits << 8 | (h[i] & 0xff);
      }
      // 56 bits: a fraction in [0, 1) with more precision than a day's milliseconds need
      double fraction = bits / (double) (1L << 56);
      return Duration.ofMillis((long) (fraction * max.toMillis()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The machine id (systemd's, or D-Bus's), else {@code hostname}. */
  static String nodeKey(String hostname) {
    for (Path p : MACHINE_ID) {
      try {
        String id = Files.readString(p, StandardCharsets.US_ASCII).strip();
        if (!id.isEmpty() && id.length() <= 64) {
          return id;
        }
      } catch (IOException | RuntimeException e) {
        // the next one, then the host name
      }
    }
    return hostname;
  }
}
