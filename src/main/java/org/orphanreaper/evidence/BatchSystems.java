package org.orphanreaper.evidence;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import org.orphanreaper.proc.Credentials;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;

/**
 * Finds the batch systems of this node by their node daemons: a process named {@code slurmd},
 * {@code sge_execd} or {@code condor_startd} counts only when it runs as root from an executable
 * of that name, so a user process renamed with {@code exec -a slurmd} turns nothing on and
 * protects nothing.
 */
public final class BatchSystems {

  /**
   * How long one batch-system command may take (then it is killed, and what it would have told
   * is unknown): past Slurm's default MessageTimeout (10 s), which a client that cannot reach
   * slurmctld spends retrying before it gives up, so that a controller that is down is reported
   * as down rather than as slow.
   */
  public static final Duration TIMEOUT = Duration.ofSeconds(20);

  /**
   * How long all batch-system commands of one run may take together ({@link BudgetedRunner}).
   * More than one {@link #TIMEOUT}, so that a hung scontrol listpids, a node-local fault, still
   * leaves the controller 10 s to judge the leftovers in job cgroups; small beside what else
   * bounds a run (systemd's TimeoutStartSec=10min, the next run 15 minutes later with a splay
   * of up to 10 minutes, and kill_after's wait, 30 s in worker-node.yaml).
   */
  public static final Duration BUDGET = Duration.ofSeconds(30);

  /** Debian installs Slurm's daemons as NAME-wlm behind alternatives links. */
  private static final Set<String> DAEMONS =
      Set.of("slurmd", "slurmd-wlm", "sge_execd", "condor_startd", "condor_procd");

  /** The processes named like a node daemon, in the order the scan listed them. */
  private final List<Integer> lookalikes;

  private BatchSystems(List<Integer> lookalikes) {
    this.lookalikes = List.copyOf(lookalikes);
  }

  /**
   * The node's processes named like a node daemon, found in one pass over the scan: every later
   * question looks at these few only (a pass over 20,000 processes costs milliseconds before
   * the JIT has compiled the loop).
   */
  public static BatchSystems of(Snapshot s) {
    List<Integer> lookalikes = new ArrayList<>();
    for (Proc p : s.processes().values()) {
      if (daemonLike(p.comm())) {
        lookalikes.add(p.pid());
      }
    }
    return new BatchSystems(lookalikes);
  }

  /**
   * Whether {@code comm} is one of {@link #DAEMONS}. Every daemon's name starts with 's' or 'c',
   * and the first letter is read before the set is asked: hashing 20,000 fresh command names
   * on a cold JVM costs milliseconds.
   */
  private static boolean daemonLike(String comm) {
    char c = comm.isEmpty() ? ' ' : comm.charAt(0);
    return (c == 's' || c == 'c') && DAEMONS.contains(comm);
  }

  /** The pids whose details detection needs (HTCondor's procd: its argv holds the GID range). */
  public List<Integer> candidates() {
    return lookalikes;
  }

  /**
   * Whether evidence must be gathered for every process, not only for candidate families: Grid
   * Engine's and HTCondor's leftovers carry an ended job's GID whatever their parent is, and
   * HTCondor's running jobs are known by the GIDs of the processes below its starters.
   */
  public boolean needsEveryProcess(Snapshot s) {
    return anyNamed(s, "sge_execd", "condor_startd");
  }

  /**
   * Whether the processes' cgroups will be asked for: Slurm tells its jobs by them, so when a
   * verified slurmd runs ({@code s} must hold the details of {@link #candidates()}). A process
   * that is only named slurmd costs no cgroup reads.
   */
  public boolean needsCgroups(Snapshot s) {
    return daemon(s, "slurmd").isPresent();
  }

  private boolean anyNamed(Snapshot s, String... comms) {
    for (int pid : lookalikes) {
      Proc p = s.processes().get(pid);
      if (p != null && List.of(comms).contains(p.comm())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Root processes named like a node daemon whose executable cannot be read (as when the reaper
   * runs without root): whether they are the batch system cannot be told, so neither can what
   * their jobs are. "slurmd (pid 812)".
   */
  public List<String> unverifiable(Snapshot s) {
    List<String> out = new ArrayList<>();
    for (int pid : lookalikes) {
      Proc p = s.processes().get(pid);
      Optional<Proc> d = s.described(pid);
      boolean root = d.flatMap(Proc::credentials).map(c -> c.ruid() == 0).orElse(false);
      if (p != null && root && !p.zombie() && d.flatMap(Proc::exe).isEmpty()) {
        out.add(p.comm() + " (pid " + pid + ")");
      }
    }
    return out;
  }

  /**
   * The providers of the batch systems whose daemons run here.
   *
   * @param s the scan with the details of {@link #candidates()} read
   * @param runner the run's commands, all in one {@link BudgetedRunner}
   * @param cwd a daemon's working directory (sge_execd runs in its spool directory)
   * @param slurmBin where the rules file says Slurm's commands are
   */
  public List<EvidenceProvider> detect(Snapshot s, CommandRunner runner,
      IntFunction<Optional<Path>> cwd, String hostname, Optional<String> slurmBin) {
    List<EvidenceProvider> out = new ArrayList<>();
    Optional<Integer> slurmd = daemon(s, "slurmd");
    if (slurmd.isPresent()) {
      Optional<String> exe = s.get(slurmd.get()).flatMap(Proc::exe);
      out.add(new SlurmEvidence(runner, SlurmCommands.find(slurmBin, exe), TIMEOUT));
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

  private Optional<Integer> daemon(Snapshot s, String name) {
    return lookalikes.stream().filter(pid -> verifiedDaemon(s, pid, name)).findFirst();
  }

  private static boolean named(String path, String name) {
    String base = path.substring(path.lastIndexOf('/') + 1);
    return base.equals(name) || base.equals(name + "-wlm");
  }

  /**
   * Whether {@code pid} is the batch daemon {@code name}: named so, real uid 0 (Grid Engine's
   * daemons keep it but switch the effective uid to sgeadmin), and running an executable of that
   * name by the kernel's account.
   */
  static boolean verifiedDaemon(Snapshot s, int pid, String name) {
    Proc p = s.processes().get(pid);
    if (p == null || !named(p.comm(), name)) {
      return false; // asked of every process: most are done without a look at their details
    }
    Optional<Proc> d = s.described(pid);
    return rootAndNamed(p, d.flatMap(Proc::credentials), name)
        && d.flatMap(Proc::exe).map(e -> named(e, name)).orElse(false);
  }

  /** What {@link #verifiedDaemon} asks before the exe: named {@code name}, real uid 0. */
  private static boolean rootAndNamed(Proc p, Optional<Credentials> c, String name) {
    return named(p.comm(), name) && c.map(Credentials::ruid).map(u -> u == 0).orElse(false);
  }

  /**
   * Whether {@code p}, with credentials {@code c}, may be a condor_starter, whose exe then tells:
   * where every process's credentials are read, the exe only of those (see
   * {@link HtcondorEvidence}: every process below a verified starter is a running job's).
   */
  public static boolean mayBeStarter(Proc p, Optional<Credentials> c) {
    return rootAndNamed(p, c, HtcondorEvidence.STARTER);
  }
}
