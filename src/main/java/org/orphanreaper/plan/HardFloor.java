package org.orphanreaper.plan;

import java.util.Optional;
import java.util.Set;
import org.orphanreaper.proc.Credentials;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;
import org.orphanreaper.tree.ProcessTree;

/**
 * What no rule and no option can make the reaper touch: uid 0 and every uid below the minimum,
 * the uids reserved for system accounts above it (60000-65535),
 * PID 1, kernel threads, the reaper itself and its ancestors, and any process whose credentials
 * could not be read. One protected member protects its whole family.
 *
 * @param minUid the lowest uid that may be signalled; never below 1
 * @param untouchable the reaper's own pid and its ancestors' pids in the scanned procfs
 */
public record HardFloor(long minUid, Set<Integer> untouchable) {

  public HardFloor {
    minUid = Math.max(1, minUid);
    untouchable = Set.copyOf(untouchable);
  }

  /** The floor for a snapshot taken by the reaper itself: protects its own ancestry. */
  public static HardFloor of(long minUid, ProcessTree tree) {
    int self = tree.snapshot().selfPid();
    return new HardFloor(minUid, self > 0 ? Set.copyOf(tree.ancestry(self)) : Set.of());
  }

  /** Why the family must be left alone, or empty when the floor lets it through. */
  public Optional<String> protects(Snapshot s, Family f) {
    for (Family.Member m : f.members()) {
      Optional<String> why = protects(s, m.proc());
      if (why.isPresent()) {
        return why;
      }
    }
    return Optional.empty();
  }

  /**
   * Why the family must be left alone, judged on its first member alone; empty when that member
   * does not protect it (its other members may still). When it does, {@link #protects(Snapshot,
   * Family)} gives the same reason, since it stops at the first protected member: so a family
   * whose root is root's (a Slurm job below its slurmstepd, a system service) is decided without
   * reading any other member.
   */
  public Optional<String> protectsThroughFirst(Snapshot s, Family f) {
    return protects(s, f.root());
  }

  /**
   * Uids above UID_MIN that still belong to the system: Debian policy allocates 60000-64999 to
   * packages' system users (slurm is 64030 on Debian 12), 65534 is nobody, 65535 and the 32-bit
   * ends are "no uid". A slurmctld running as 64030 is not a user's stray.
   *
   * <p>Uids are unsigned 32-bit (3000000000 is an ordinary user above the minimum), but two
   * values never pass: 65534 is also the kernel's overflow uid, what /proc shows for a uid that
   * is not mapped into the reader's user namespace, so a process showing it may be anyone's,
   * root's included; and 4294967295, (uid_t) -1, is what setresuid(2) and chown(2) take for
   * "no change", never a real account's uid, so a process showing it has no owner to act for.
   * Neither can be told from a real user, so both protect, whatever the minimum uid.
   */
  static boolean reserved(long uid) {
    return (uid >= 60000 && uid <= 65535) || uid >= 4294967294L;
  }

  /** Why this one process must not be signalled, or empty. */
  public Optional<String> protects(Snapshot s, Proc p) {
    int pid = p.pid();
    if (s.vanished(pid)) {
      return Optional.empty(); // exited since the scan: nothing left to protect or to signal
    }
    if (pid == Snapshot.INIT_PID) {
      return Optional.of("contains pid 1 (init)");
    }
    if (p.kernelThread()) {
      return Optional.of("contains kernel thread " + pid);
    }
    if (untouchable.contains(pid)) {
      return Optional.of("contains the reaper or its ancestor, pid " + pid);
    }
    Optional<Credentials> c = s.get(pid).flatMap(Proc::credentials);
    if (c.isEmpty()) {
      return Optional.of("credentials of pid " + pid + " could not be read");
    }
    for (long any : new long[] {c.get().ruid(), c.get().euid(), c.get().suid(), c.get().fsuid()}) {
      if (reserved(any)) {
        return Optional.of("pid " + pid + " runs as uid " + any + ", reserved for system"
            + " accounts (60000-65535, 4294967294-4294967295)");
      }
    }
    long uid = c.get().lowestUid(); // unsigned: 0 to 4294967295
    if (uid < minUid) {
      return Optional.of(
          "pid " + pid + " runs as uid " + uid + ", below the minimum uid " + minUid);
    }
    return Optional.empty();
  }
}
