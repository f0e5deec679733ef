package org.orphanreaper.evidence;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import org.orphanreaper.proc.Credentials;
import org.orphanreaper.proc.ProcDetails;
import org.orphanreaper.proc.ProcStat;
import org.orphanreaper.proc.Snapshot;

/**
 * Finds the batch systems of this node by their node daemons: a process named {@code slurmd},
 * {@code sge_execd} or {@code condor_startd} counts only when it runs as root from an executable
 * of that name, so a user process renamed with {@code exec -a slurmd} turns nothing on and
 * protects nothing.
 */
public final class BatchSystems {
  private BatchSystems() {}

  /** How long one batch-system command may take before the run gives up (and kills nothing). */
  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** Debian installs Slurm's daemons as NAME-wlm behind alternatives links. */
  private static final Set<String> DAEMONS =
      Set.of("slurmd", "slurmd-wlm", "sge_execd", "condor_startd", "condor_procd");

  /** The pids whose details detection needs (HTCondor's procd: its argv holds the GID range). */
  public static List<Integer> candidates(Snapshot s) {
    return s.processes().values().stream().filter(p -> DAEMONS.contains(p.comm()))
        .map(ProcStat::pid).toList();
  }

  private static boolean named(String path, String name) {
    String base = path.substring(path.lastIndexOf('/') + 1);
    return base.equals(name) || base.equals(name + "-wlm");
  }

  /**
   * Whether evidence must be gathered for every process, not only for candidate families: Grid
   * Engine's and HTCondor's leftovers carry an ended job's GID whatever their parent is, and
   * HTCondor's running jobs are known by the GIDs of the processes below its starters.
   */
  public static boolean needsEveryProcess(Snapshot s) {
    return s.processes().values().stream()
        .anyMatch(p -> p.comm().equals("sge_execd") || p.comm().equals("condor_startd"));
  }

  /**
   * Root processes named like a node daemon whose executable cannot be read (as when the reaper
   * runs without root): whether they are the batch system cannot be told, so neither can what
   * their jobs are. "slurmd (pid 812)".
   */
  public static List<String> unverifiable(Snapshot s) {
    List<String> out = new ArrayList<>();
    for (int pid : candidates(s)) {
      ProcStat p = s.processes().get(pid);
      Optional<ProcDetails> d = s.detailsOf(pid);
      boolean root = d.flatMap(ProcDetails::credentials).map(c -> c.ruid() == 0).orElse(false);
      if (root && !p.zombie() && d.flatMap(ProcDetails::exe).isEmpty()) {
        out.add(p.comm() + " (pid " + pid + ")");
      }
    }
    return out;
  }

  /** Whether the processes' cgroups may be asked for: Slurm tells its jobs by them. */
  public static boolean needsCgroups(Snapshot s) {
    return s.processes().values().stream()
        .anyMatch(p -> p.comm().equals("slurmd") || p.comm().equals("slurmd-wlm"));
  }

  /**
   * The providers of the batch systems whose daemons run here.
   *
   * @param cwd a daemon's working directory (sge_execd runs in its spool directory)
   */
  public static List<EvidenceProvider> detect(Snapshot s, CommandRunner runner,
      IntFunction<Optional<Path>> cwd, String hostname) {
    List<EvidenceProvider> out = new ArrayList<>();
    if (daemon(s, "slurmd").isPresent()) {
      out.add(new SlurmEvidence(runner, TIMEOUT));
    }
    Optional<Integer> execd = daemon(s, "sge_execd");
    if (execd.isPresent()) {
      Path spool = cwd.apply(execd.get())
          .orElse(Path.of("/var/spool/gridengine/execd", hostname));
      out.add(new GridEngineEvidence(runner, TIMEOUT, spool));
    }
    if (daemon(s, "condor_startd").isPresent()) {
      out.add(new HtcondorEvidence());
    }
    return out;
  }

  private static Optional<Integer> daemon(Snapshot s, String name) {
    return candidates(s).stream().filter(pid -> verifiedDaemon(s, pid, name)).findFirst();
  }

  /**
   * Whether {@code pid} is the batch daemon {@code name}: named so, real uid 0 (Grid Engine's
   * daemons keep it but switch the effective uid to sgeadmin), and running an executable of that
   * name by the kernel's account.
   */
  static boolean verifiedDaemon(Snapshot s, int pid, String name) {
    ProcStat p = s.processes().get(pid);
    if (p == null || !named(p.comm(), name)) {
      return false;
    }
    Optional<ProcDetails> d = s.detailsOf(pid);
    boolean root = d.flatMap(ProcDetails::credentials).map(Credentials::ruid)
        .map(u -> u == 0).orElse(false);
    return root && d.flatMap(ProcDetails::exe).map(e -> named(e, name)).orElse(false);
  }
}
