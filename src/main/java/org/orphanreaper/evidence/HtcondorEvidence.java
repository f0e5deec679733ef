package org.orphanreaper.evidence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.ProcessTree;

/**
 * HTCondor's view, read from the process table alone (no command to ask, so nothing to time
 * out): every process below a live {@code condor_starter} belongs to a running job, and with
 * {@code USE_GID_PROCESS_TRACKING} every job process carries a tracking GID that condor_procd
 * allocated from the range it was started with ({@code condor_procd ... -G MIN MAX}). A tracking
 * GID that some process below a starter carries is a running job's, so an escapee holding it is
 * that job's too; a tracking GID no starter's process carries is a leftover of a job whose
 * starter is gone (a crashed or restarted startd: a clean job end lets the procd kill every
 * holder itself), and so is one older than the starter now holding its GID (the procd reuses
 * GIDs). A user can neither add a tracking GID to a process nor drop one (setgroups
 * needs CAP_SETGID), and starters and the procd count only with real uid 0 and their own
 * executable, so none of this can be forged from a user account.
 */
public final class HtcondorEvidence implements EvidenceProvider {

  static final String STARTER = "condor_starter";
  static final String PROCD = "condor_procd";

  @Override
  public String name() {
    return "htcondor";
  }

  @Override
  public Map<Integer, List<JobMark>> collect(Snapshot s, Collection<Integer> pids)
      throws EvidenceUnavailable {
    // The few processes named like its daemons, in one pass over every process of the node, by
    // name first (mostly before the JIT has compiled anything); verifiedDaemon decides.
    List<Proc> procds = new ArrayList<>();
    List<Proc> starters = new ArrayList<>();
    for (Proc p : s.processes().values()) {
      if (p.comm().endsWith(PROCD)) {
        procds.add(p);
      } else if (p.comm().endsWith(STARTER)) {
        starters.add(p);
      }
    }
    TrackingGids tracking = new TrackingGids(trackingRanges(s, procds));
    // pid -> the starter it descends from; tracking gid -> that starter
    Map<Integer, Integer> underStarter = new HashMap<>();
    ProcessTree tree = null; // made for the first starter: a node without jobs needs none
    for (Proc p : starters) {
      if (!BatchSystems.verifiedDaemon(s, p.pid(), STARTER)) {
        continue;
      }
      if (tree == null) {
        tree = new ProcessTree(s);
      }
      for (Family.Member m : tree.descend(List.of(p), Set.of())) {
        underStarter.put(m.proc().pid(), p.pid());
      }
    }
    // tracking gid -> the starter whose job holds it now (the earliest-started one, should two)
    Map<Long, Proc> activeGids = new HashMap<>();
    underStarter.forEach((pid, starter) -> {
      Proc st = s.processes().get(starter);
      for (long gid : tracking.of(s, pid)) {
        activeGids.merge(gid, st, (a, b) -> a.startTicks() <= b.startTicks() ? a : b);
      }
    });
    Map<Integer, List<JobMark>> out = new HashMap<>();
    for (int pid : pids) {
      Integer starter = underStarter.get(pid);
      if (starter != null) {
        out.put(pid, List.of(new JobMark(name(), job(starter), JobState.RUNNING,
            "below condor_starter " + starter)));
        continue;
      }
      List<Long> gids = tracking.of(s, pid);
      if (gids.isEmpty()) {
        continue; // most processes of a node: no job's
      }
      Proc p = s.processes().get(pid);
      for (long gid : gids) {
        Proc holder = activeGids.get(gid);
        // The procd hands a GID out again once its job is gone, also while a crashed job's
        // leftovers still carry it (seen on condor 23.9). Every process of a job is forked below
        // its starter, so it cannot have started before the starter did: one that did is the
        // leftover of an earlier job with the same GID.
        boolean current = holder != null && p != null && p.startTicks() >= holder.startTicks();
        // every GID's mark is kept: one of a running job outweighs any number of ended ones
        out.computeIfAbsent(pid, k -> new ArrayList<>()).add(current
            ? new JobMark(name(), job(holder.pid()), JobState.RUNNING, "tracking gid " + gid)
            : new JobMark(name(), "gid " + gid, JobState.ENDED, "tracking gid " + gid
                + (holder == null ? "" : ", older than starter " + holder.pid() + " holding it")));
      }
    }
    return out;
  }

  /** HTCondor names no job in the process table; the starter is the job's unit on the node. */
  private static String job(int starter) {
    return "of starter " + starter;
  }

  /**
   * The GID ranges of the verified condor_procd processes: what is in effect, not what a
   * configuration file edited since says. A startd without any procd cannot be read: HTCondor
   * on Linux tracks jobs through the procd, so its absence means a daemon restart is under way.
   *
   * @param named the processes whose comm ends in the procd's name, in the scan's order
   */
  private static List<long[]> trackingRanges(Snapshot s, List<Proc> named)
      throws EvidenceUnavailable {
    List<long[]> out = new ArrayList<>();
    boolean procd = false;
    for (Proc p : named) {
      if (!BatchSystems.verifiedDaemon(s, p.pid(), PROCD)) {
        continue;
      }
      procd = true;
      String cmdline = s.described(p.pid()).map(Proc::cmdline).orElse("");
      if (cmdline.isEmpty()) {
        throw new EvidenceUnavailable("htcondor: cannot read the command line of condor_procd "
            + p.pid());
      }
      parseRange(cmdline).ifPresent(out::add);
    }
    if (!procd) {
      throw new EvidenceUnavailable(
          "htcondor: condor_startd runs but no condor_procd: cannot tell the tracking GIDs");
    }
    return out;
  }

  /** {@code -G MIN MAX} from a procd command line; empty when GID tracking is off. */
  static Optional<long[]> parseRange(String cmdline) throws EvidenceUnavailable {
    String[] argv = cmdline.trim().split("\\s+");
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].equals("-G")) {
        continue;
      }
      try {
        long from = Long.parseLong(argv[i + 1]);
        long to = Long.parseLong(argv[i + 2]);
        if (from < 0 || from > to) {
          throw new NumberFormatException();
        }
        return Optional.of(new long[] {from, to});
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        throw new EvidenceUnavailable("htcondor: condor_procd has no usable GID range in '"
            + cmdline + "'");
      }
    }
    return Optional.empty();
  }
}
