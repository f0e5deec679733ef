package org.orphanreaper.act;

import java.util.List;
import java.util.Optional;
import org.orphanreaper.base.Signal;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.tree.Family;

/**
 * What killing one family did, member by member.
 *
 * @param family the family as planned
 * @param members every process acted on, including members that appeared during the kill
 * @param status the family's overall result
 * @param mechanism how signals were sent: "pidfd" or "kill", then "+cgroup2" or "+freezer" when
 *     the family was penned
 * @param note extra facts for the report (a family still forking, an abort reason); may be ""
 */
public record KillOutcome(
    Family family, List<MemberOutcome> members, Status status, String mechanism, String note) {

  public KillOutcome {
    members = List.copyOf(members);
  }

  /** The family's overall result. */
  public enum Status {
    /** Every member is gone and at least one was signalled. */
    KILLED("killed"),
    /** Every member had exited before it could be signalled. */
    VANISHED("vanished"),
    /** At least one member is still alive after KILL. */
    SURVIVED("survived"),
    /** A protected process joined the family: it was resumed and left alone. */
    ABORTED("aborted");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** One process, what was known of it, and what happened to it. */
  public record MemberOutcome(
      Proc proc, int depth, Result result, List<Signal> sent) {
    public MemberOutcome {
      sent = List.copyOf(sent);
    }
  }

  /** What happened to one process. */
  public enum Result {
    /** Gone before any signal reached it. */
    VANISHED("vanished"),
    /** Ended after the first signal. */
    EXITED("exited"),
    /** Ended after SIGKILL. */
    KILLED("killed"),
    /** Still alive after SIGKILL (uninterruptible sleep), or the kernel refused the signal. */
    SURVIVED("survived"),
    /** A zombie: already dead, waiting for its parent; never signalled, never a survivor. */
    ZOMBIE("zombie"),
    /** Resumed and left alone because the kill was aborted. */
    SPARED("spared");

    private final String label;

    Result(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public List<MemberOutcome> survivors() {
    return members.stream().filter(m -> m.result() == Result.SURVIVED).toList();
  }
}
