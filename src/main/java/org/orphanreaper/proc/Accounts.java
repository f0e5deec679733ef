package org.orphanreaper.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * The node's account facts: the distribution's first user uid and the names of uids and gids.
 * Facts come from /etc/passwd and /etc/group and, for ids they lack (LDAP/SSSD users on cluster
 * nodes), from one {@code getent} call, so no native library is loaded just to print a name.
 */
public final class Accounts {

  /** When login.defs has no UID_MIN: the value every current distribution ships. */
  public static final int DEFAULT_UID_MIN = 1000;

  private final Path loginDefs;
  private final Database users;
  private final Database groups;

  /**
   * One name database: its file, and the getent database that completes it. A getent runs on a
   * thread of its own: with nss-systemd each id it cannot find costs it about thirty file
   * look-ups (~30 ms for 400 uids it cannot find, measured here), which overlap the run's other work
   * until the first name is asked for.
   */
  private static final class Database {
    private final Path file;
    private final String getent;
    private final boolean askNss;
    private final Map<Integer, String> names = new HashMap<>();
    private final Set<Integer> asked = new HashSet<>();
    private final List<FutureTask<Map<Integer, String>>> pending = new ArrayList<>();
    private boolean fileRead;

    Database(Path file, String getent, boolean askNss) {
      this.file = file;
      this.getent = getent;
      this.askNss = askNss;
    }

    synchronized void resolve(Collection<Integer> ids) {
      if (!fileRead) {
        names.putAll(parseNames(readOrEmpty(file)));
        fileRead = true;
      }
      List<Integer> missing = new ArrayList<>();
      for (int id : ids) {
        if (!names.containsKey(id) && asked.add(id)) {
          missing.add(id);
        }
      }
      if (!missing.isEmpty() && askNss) {
        FutureTask<Map<Integer, String>> task = new FutureTask<>(() -> getent(getent, missing));
        Thread t = new Thread(task, "getent-" + getent);
        t.setDaemon(true);
        t.start();
        pending.add(task);
      }
    }

    synchronized Optional<String> name(int id) {
      for (FutureTask<Map<Integer, String>> task : pending) {
        names.putAll(answer(task));
      }
      pending.clear();
      return Optional.ofNullable(names.get(id));
    }
  }

  /** What a getent found; nothing when it failed (it has a time limit of its own). */
  private static Map<Integer, String> answer(FutureTask<Map<Integer, String>> task) {
    try {
      return task.get();
    } catch (ExecutionException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of();
    }
  }

  /** @param askNss whether ids missing from the files are looked up with getent */
  public Accounts(Path loginDefs, Path passwd, Path group, boolean askNss) {
    this.loginDefs = loginDefs;
    this.users = new Database(passwd, "passwd", askNss);
    this.groups = new Database(group, "group", askNss);
  }

  public static Accounts system() {
    return new Accounts(Path.of("/etc/login.defs"), Path.of("/etc/passwd"),
        Path.of("/etc/group"), true);
  }

  /** UID_MIN from login.defs: the distribution's own boundary between system and user accounts. */
  public int uidMin() {
    return parseUidMin(readOrEmpty(loginDefs)).orElse(DEFAULT_UID_MIN);
  }

  static OptionalInt parseUidMin(String text) {
    for (String line : text.split("\n")) {
      // Only the UID_MIN line is split: a regex split of each of the ~170 lines before it in
      // Debian's login.defs took 10-17 ms of every run's cold JVM.
      String t = line.trim();
      if (!t.startsWith("UID_MIN")) {
        continue;
      }
      String[] f = t.split("\\s+");
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

  /**
   * Starts looking up the names of {@code uids}; {@link #name} and {@link #userName} answer
   * them, waiting for the look-up the first time.
   */
  public void resolve(Collection<Long> uids) {
    users.resolve(uids.stream().map(Long::intValue).toList());
  }

  /** Starts looking up the names of {@code gids}, for {@link #groupName}. */
  public void resolveGroups(Collection<Integer> gids) {
    groups.resolve(gids);
  }

  /** The user name of {@code uid} (0 to 4294967295), or the number when it has none. */
  public String name(long uid) {
    return userName(uid).orElse(Long.toString(uid));
  }

  /**
   * The user name of a resolved {@code uid}, 0 to 4294967295; empty when it has none. The names
   * are kept by the uid's 32 bits, as the kernel's uid_t.
   */
  public Optional<String> userName(long uid) {
    return users.name((int) uid);
  }

  /** The group name of a resolved {@code gid}, 0 to 4294967295; empty when it has none. */
  public Optional<String> groupName(long gid) {
    return groups.name((int) gid);
  }

  /** {@code name:x:id:...} lines of passwd and group files. */
  static Map<Integer, String> parseNames(String text) {
    Map<Integer, String> out = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(":", -1);
      if (f.length >= 3 && !f[0].isEmpty()) {
        try {
          out.putIfAbsent(Integer.parseUnsignedInt(f[2]), f[0]); // uid_t: up to 4294967295
        } catch (NumberFormatException e) {
          // not an account line
        }
      }
    }
    return out;
  }

  private static Map<Integer, String> getent(String database, List<Integer> ids) {
    List<String> cmd = new ArrayList<>(List.of("getent", database));
    ids.forEach(u -> cmd.add(Integer.toUnsignedString(u)));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Map.of();
      }
      return parseNames(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
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
