package org.orphanreaper.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where this node's {@code scontrol} and {@code squeue} are. Sites install Slurm under
 * {@code /opt/slurm} or {@code /usr/local} while cron's PATH is {@code /usr/bin:/bin}, so the
 * commands are looked for, in this order: only in the directory the rules file names
 * ({@code slurm: { bin: DIR }}); else beside the running slurmd's own executable ({@code
 * PREFIX/sbin/slurmd} gives {@code PREFIX/bin}, then {@code PREFIX/sbin}); then along PATH.
 * Root runs them, so a file is taken only when it and its directory are root's and writable by
 * no one else (what sudo and OpenSSH's StrictModes ask of what root trusts).
 */
public record SlurmCommands(Command scontrol, Command squeue) {

  /**
   * One command: the path to run, or why none can be.
   *
   * @param path the file to run; empty when none was usable
   * @param looked for messages: where it was looked for, or why a file there was refused
   */
  public record Command(String name, Optional<String> path, String looked) {

    /** The command line to run, or why it cannot be. */
    List<String> argv(String... args) throws EvidenceUnavailable {
      if (path.isEmpty()) {
        throw new EvidenceUnavailable("cannot run " + name + ": " + looked);
      }
      List<String> out = new ArrayList<>(List.of(path.get()));
      out.addAll(List.of(args));
      return out;
    }

    /** A command at a fixed path, as tests and the live system without checks use. */
    public static Command at(String path) {
      return new Command(path.substring(path.lastIndexOf('/') + 1), Optional.of(path), "");
    }
  }

  /**
   * @param configured the rules file's {@code slurm.bin}
   * @param slurmd the verified slurmd's executable, as /proc/PID/exe names it
   * @param path the PATH of this run
   * @param refusal why a file may not be run: empty for one that may, "" for one not there
   */
  public static SlurmCommands find(Optional<String> configured, Optional<String> slurmd,
      String path, Function<Path, Optional<String>> refusal) {
    List<Path> dirs = new ArrayList<>();
    if (configured.isPresent()) {
      dirs.add(Path.of(configured.get()));
    } else {
      slurmd.map(exe -> Path.of(exe.replaceFirst(" \\(deleted\\)$", "")).getParent())
          .ifPresent(sbin -> {
            if (sbin.getParent() != null) {
              dirs.add(sbin.getParent().resolve("bin"));
            }
            dirs.add(sbin);
          });
      for (String d : path.split(":")) {
        if (d.startsWith("/")) {
          dirs.add(Path.of(d));
        }
      }
    }
    return new SlurmCommands(locate("scontrol", dirs, refusal),
        locate("squeue", dirs, refusal));
  }

  /** The live system: the rules' directory, the slurmd's, PATH; root's files only. */
  public static SlurmCommands find(Optional<String> configured, Optional<String> slurmd) {
    String path = System.getenv("PATH");
    return find(configured, slurmd, path == null ? "" : path, SlurmCommands::refusal);
  }

  private static Command locate(String name, List<Path> dirs,
      Function<Path, Optional<String>> refusal) {
    List<String> refused = new ArrayList<>();
    for (Path d : dirs) {
      Path p = d.resolve(name);
      Optional<String> no = refusal.apply(p);
      if (no.isEmpty()) {
        return new Command(name, Optional.of(p.toString()), "");
      }
      if (!no.get().isEmpty()) {
        refused.add(p + " " + no.get());
      }
    }
    List<String> where = new ArrayList<>();
    dirs.forEach(d -> where.add(d.toString()));
    return new Command(name, Optional.empty(), refused.isEmpty()
        ? "not found in " + String.join(", ", where)
        : "refused " + String.join("; ", refused));
  }

  /**
   * Why root may not run {@code p}: "" when it is not there, a reason when it is not a regular
   * executable file, or it or its directory belongs to someone else or is writable by others.
   */
  static Optional<String> refusal(Path p) {
    try {
      PosixFileAttributes f = Files.readAttributes(p, PosixFileAttributes.class);
      if (!f.isRegularFile() || !Files.isExecutable(p)) {
        return Optional.of("(not an executable file)");
      }
      Path real = p.toRealPath();
      for (Path x : List.of(real, real.getParent())) {
        int uid = (Integer) Files.getAttribute(x, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(x, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (uid != 0 || (mode & 022) != 0) {
          return Optional.of("(" + x + " is not root's alone: uid " + uid + ", mode "
              + Integer.toOctalString(mode & 07777) + ")");
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("");
    }
  }
}
