package org.orphanreaper.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The node's account facts: the distribution's first user uid and the names of uids. Names come
 * from /etc/passwd and, for uids it lacks (LDAP/SSSD users on cluster nodes), from one {@code
 * getent passwd} call, so no native library is loaded just to print a name.
 */
public final class Accounts {

  /** When login.defs has no UID_MIN: the value every current distribution ships. */
  public static final int DEFAULT_UID_MIN = 1000;

  private final Path loginDefs;
  private final Path passwd;
  private final boolean askNss;
  private final Map<Integer, String> names = new HashMap<>();

  /** @param askNss whether uids missing from {@code passwd} are looked up with getent */
  public Accounts(Path loginDefs, Path passwd, boolean askNss) {
    this.loginDefs = loginDefs;
    this.passwd = passwd;
    this.askNss = askNss;
  }

  public static Accounts system() {
    return new Accounts(Path.of("/etc/login.defs"), Path.of("/etc/passwd"), true);
  }

  /** UID_MIN from login.defs: the distribution's own boundary between system and user accounts. */
  public int uidMin() {
    return parseUidMin(readOrEmpty(loginDefs)).orElse(DEFAULT_UID_MIN);
  }

  static OptionalInt parseUidMin(String text) {
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2 && f[0].equals("UID_MIN")) {
        try {
          int v = Integer.parseInt(f[1]);
          return v > 0 ? OptionalInt.of(v) : OptionalInt.empty();
        } catch (NumberFormatException e) {
          return OptionalInt.empty();
        }
      }
    }
    return OptionalInt.empty();
  }

  /** Looks up the names of {@code uids}; afterwards {@link #name} answers from memory. */
  public void resolve(Collection<Integer> uids) {
    List<Integer> missing = new ArrayList<>();
    if (names.isEmpty()) {
      names.putAll(parsePasswd(readOrEmpty(passwd)));
    }
    for (int uid : uids) {
      if (!names.containsKey(uid)) {
        missing.add(uid);
      }
    }
    if (!missing.isEmpty() && askNss) {
      names.putAll(getent(missing));
    }
  }

  /** The user name of {@code uid}, or the number when it has none. */
  public String name(int uid) {
    return names.getOrDefault(uid, Integer.toUnsignedString(uid));
  }

  static Map<Integer, String> parsePasswd(String text) {
    Map<Integer, String> out = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(":", -1);
      if (f.length >= 3 && !f[0].isEmpty()) {
        try {
          out.putIfAbsent(Integer.parseInt(f[2]), f[0]);
        } catch (NumberFormatException e) {
          // not an account line
        }
      }
    }
    return out;
  }

  private static Map<Integer, String> getent(List<Integer> uids) {
    List<String> cmd = new ArrayList<>(List.of("getent", "passwd"));
    uids.forEach(u -> cmd.add(Integer.toUnsignedString(u)));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Map.of();
      }
      return parsePasswd(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  private static String readOrEmpty(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
