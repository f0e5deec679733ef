package org.orphanreaper.evidence;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;

/**
 * Processes that count as init for the orphan test, when the rules name their executables:
 * {@code systemd --user}, container inits (tini, conmon, Apptainer's starter), any
 * PR_SET_CHILD_SUBREAPER process that adopts what its descendants leave behind. Matching is by
 * the kernel's exe link; a process that fakes one only makes its own orphans visible.
 *
 * <p>The exe link names the executable's real path: {@code /usr/bin/python3} configured, a
 * symlink to python3.11, is run by processes whose exe is {@code /usr/bin/python3.11}. So each
 * configured path stands for itself and for the real file its symlink chain ends in.
 *
 * <p>Reading every process's exe link on a 20,000-process node would cost more than the rest of
 * the run, so only candidates are read, picked by comm. The kernel sets comm at execve to the
 * basename of the path that was executed (cut to 15 bytes), not of the real file: python3 when
 * started as /usr/bin/python3, python3.11 when started by its real name. The candidates' names
 * are therefore the basenames of every path of each configured executable's symlink chain, and
 * of every symlink in those paths' directories that resolves to the same real file (python3,
 * python, py3 beside python3.11): one directory listing per configured executable, once per
 * run. Not found: a process started through a symlink elsewhere (/usr/local/bin/x pointing to
 * it), through a hard link, by execveat(2) on a descriptor, or renamed with prctl(PR_SET_NAME)
 * since; list such a path too when it matters. Being missed only makes a subreaper's children
 * look un-orphaned, which keeps them.
 */
public record Subreapers(List<String> executables) {

  /** Longest symlink chain followed, as the kernel's MAXSYMLINKS. */
  private static final int MAX_LINKS = 40;

  public Subreapers {
    executables = List.copyOf(executables);
  }

  /**
   * The processes whose exe must be read to find the subreapers: those whose comm is a name the
   * configured executables can be started by, so a run does not read the details of every
   * process.
   */
  public Set<Integer> candidates(Snapshot s) {
    Set<Integer> out = new HashSet<>();
    if (executables.isEmpty()) {
      return out; // none configured (the default): no need to look at every process
    }
    Set<String> names = new HashSet<>();
    for (String e : executables) {
      for (String n : names(Path.of(e))) {
        names.add(n.length() > 15 ? n.substring(0, 15) : n);
      }
    }
    for (Proc p : s.processes().values()) {
      if (names.contains(p.comm())) {
        out.add(p.pid());
      }
    }
    return out;
  }

  public Set<Integer> find(Snapshot s) {
    Set<Integer> out = new HashSet<>();
    if (executables.isEmpty()) {
      return out;
    }
    Set<String> exes = new HashSet<>();
    for (String e : executables) {
      exes.add(e);
      realPath(Path.of(e)).ifPresent(r -> exes.add(r.toString()));
    }
    for (Proc p : s.processes().values()) {
      if (s.get(p.pid()).flatMap(Proc::exe).map(exes::contains).orElse(false)) {
        out.add(p.pid());
      }
    }
    return out;
  }

  /**
   * The basenames {@code exe} can be started by: its own, those of its symlink chain and real
   * file, and those of the symlinks in the chain's directories that resolve to the same file.
   */
  static Set<String> names(Path exe) {
    Set<String> names = new LinkedHashSet<>();
    Set<Path> dirs = new LinkedHashSet<>();
    Path p = exe;
    for (int i = 0; i <= MAX_LINKS && p != null && p.getFileName() != null; i++) {
      names.add(p.getFileName().toString());
      if (p.getParent() != null) {
        dirs.add(p.getParent());
      }
      if (!Files.isSymbolicLink(p)) {
        break;
      }
      try {
        p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
      } catch (IOException e) {
        break;
      }
    }
    var real = realPath(exe);
    if (real.isEmpty()) {
      return names; // not on this node: its own name is all there is
    }
    names.add(real.get().getFileName().toString());
    dirs.add(real.get().getParent());
    for (Path dir : dirs) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          if (Files.isSymbolicLink(entry) && realPath(entry).equals(real)) {
            names.add(entry.getFileName().toString());
          }
        }
      } catch (IOException | SecurityException e) {
        // an unreadable directory adds no names
      }
    }
    return names;
  }

  private static java.util.Optional<Path> realPath(Path p) {
    try {
      return java.util.Optional.of(p.toRealPath());
    } catch (IOException | SecurityException e) {
      return java.util.Optional.empty();
    }
  }
}
