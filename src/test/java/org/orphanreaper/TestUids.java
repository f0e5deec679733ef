package org.orphanreaper;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Uids for test users that belong to no one on this host. */
final class TestUids {
  private TestUids() {}

  private static final int FIRST = 5001;
  private static final int LAST = 59999; // below Debian's package uids (60000-64999)

  /** {@code n} uids from {@link #FIRST} up that no account, group or process of the host has. */
  static int[] pick(int n) {
    Set<Integer> running = processUids();
    int[] out = new int[n];
    int found = 0;
    for (int uid = FIRST; uid <= LAST && found < n; uid++) {
      if (!running.contains(uid) && !known("passwd", uid) && !known("group", uid)) {
        out[found++] = uid;
      }
    }
    if (found < n) {
      throw new IllegalStateException("no " + n + " free uids between " + FIRST + " and " + LAST);
    }
    return out;
  }

  /** Whether NSS knows {@code id} in {@code database} (getent exits 2 for "not found"). */
  private static boolean known(String database, int id) {
    try {
      Process p = new ProcessBuilder("getent", database, Integer.toString(id))
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return true; // cannot tell: not free
      }
      return p.exitValue() != 2;
    } catch (IOException e) {
      return Files.exists(Path.of("/etc/" + database)) && inFile(database, id);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  private static boolean inFile(String database, int id) {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/" + database))) {
        String[] f = line.split(":");
        if (f.length > 2 && f[2].equals(Integer.toString(id))) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** The real uids of the host's processes, from /proc/PID/status. */
  private static Set<Integer> processUids() {
    Set<Integer> out = new HashSet<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path d : ds) {
        try {
          for (String line : Files.readAllLines(d.resolve("status"))) {
            if (line.startsWith("Uid:")) {
              for (String u : line.substring(4).trim().split("\\s+")) {
                out.add(Integer.parseInt(u));
              }
              break;
            }
          }
        } catch (IOException | RuntimeException e) {
          // gone meanwhile
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to avoid
    }
    return out;
  }
}
