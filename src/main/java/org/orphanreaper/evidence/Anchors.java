package org.orphanreaper.evidence;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.orphanreaper.proc.Credentials;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.ProcessTree;

/**
 * The processes whose descendants are legitimate in the lineage scope (prune_userprocs' job
 * trees, NHC's lineage check): batch-system daemons, sshd and OpenSSH 9.8+'s root sshd-session.
 * An anchor is verified by identity,
 * not by name: it runs with real uid 0 and the kernel's {@code exe} link names
 * one of the configured executables. A user process started with {@code exec -a slurmstepd} or
 * renamed with prctl has neither, so it anchors nothing (NHC and Shinigami match argv and can be
 * fooled so).
 *
 * @param executables absolute paths of anchor executables
 */
public record Anchors(List<String> executables) {

  public static final List<String> DEFAULT = List.of(
      "/usr/sbin/slurmstepd",
      "/usr/sbin/slurmstepd-wlm",
      "/usr/lib/gridengine/sge_shepherd",
      "/usr/sbin/sge_shepherd",
      "/opt/sge/bin/lx-amd64/sge_shepherd",
      "/usr/sbin/pbs_mom",
      "/usr/sbin/condor_starter",
      "/usr/sbin/sshd",
      // OpenSSH 9.8+ runs each connection in sshd-session (and, from 10.0, its pre-auth part in
      // sshd-auth), installed as $(libexecdir)/sshd-session and $(libexecdir)/sshd-auth
      // (Makefile.in's SSHD_SESSION, SSHD_AUTH). The root sshd-session is the session's
      // privileged monitor and the parent of the user's sshd-session and shell; after ssh is
      // restarted it is init's child, with no sshd above it. libexecdir by distribution:
      // Debian/Ubuntu /usr/lib/openssh, Fedora/RHEL /usr/libexec/openssh, SUSE
      // /usr/libexec/ssh, Arch /usr/lib/ssh, upstream's default /usr/local/libexec (and
      // /usr/libexec with --prefix=/usr). sshd-auth runs as the unprivileged sshd user, so it
      // never passes the root check; it is listed so a build that runs it as root is covered.
      "/usr/lib/openssh/sshd-session",
      "/usr/lib/openssh/sshd-auth",
      "/usr/libexec/openssh/sshd-session",
      "/usr/libexec/openssh/sshd-auth",
      "/usr/libexec/ssh/sshd-session",
      "/usr/libexec/ssh/sshd-auth",
      "/usr/lib/ssh/sshd-session",
      "/usr/lib/ssh/sshd-auth",
      "/usr/libexec/sshd-session",
      "/usr/libexec/sshd-auth",
      "/usr/local/libexec/sshd-session",
      "/usr/local/libexec/sshd-auth",
      "/usr/local/sbin/sshd");

  public Anchors {
    executables = List.copyOf(executables);
  }

  /** The verified anchors of a snapshot whose processes have been described. */
  public Set<Integer> find(Snapshot s) {
    Set<Integer> out = new HashSet<>();
    for (Proc p : s.processes().values()) {
      if (verified(s, p.pid(), executables)) {
        out.add(p.pid());
      }
    }
    return out;
  }

  /**
   * Real uid 0 (sge_shepherd keeps it but runs with effective uid sgeadmin; no user can get a
   * real uid of 0 without being root), and running one of {@code exes} by the kernel's account.
   */
  static boolean verified(Snapshot s, int pid, List<String> exes) {
    var d = s.described(pid);
    return mayBe(d.flatMap(Proc::credentials))
        && d.flatMap(Proc::exe).map(exes::contains).orElse(false);
  }

  /**
   * Whether a process with credentials {@code c} may be an anchor, whose exe then tells: where
   * every process's credentials are read, the exe only of those (real uid 0).
   */
  public static boolean mayBe(Optional<Credentials> c) {
    return c.map(x -> x.ruid() == 0).orElse(false);
  }

  /** The anchors and everything below them. */
  public static Set<Integer> lineage(ProcessTree tree, Set<Integer> anchors) {
    Set<Integer> out = new HashSet<>();
    List<Proc> roots = anchors.stream().map(tree.snapshot().processes()::get)
        .filter(java.util.Objects::nonNull).toList();
    for (Family.Member m : tree.descend(roots, Set.of())) {
      out.add(m.proc().pid());
    }
    return out;
  }

  /** Processes of a uid at or above {@code minUid} (by every uid) that no anchor vouches for. */
  public static Set<Integer> strays(Snapshot s, Set<Integer> anchored, Set<Integer> inits,
      long minUid) {
    Set<Integer> out = new HashSet<>();
    for (Proc p : s.processes().values()) {
      if (p.kernelThread() || anchored.contains(p.pid()) || inits.contains(p.pid())) {
        continue;
      }
      boolean user = s.get(p.pid()).flatMap(Proc::credentials)
          .map(Credentials::lowestUid).map(u -> u >= minUid)
          .orElse(false);
      if (user) {
        out.add(p.pid());
      }
    }
    return out;
  }
}
