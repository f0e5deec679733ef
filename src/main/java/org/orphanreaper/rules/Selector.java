package org.orphanreaper.rules;

import java.util.ArrayList;
import java.util.List;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;

/**
 * The {@code match} of a rule or the body of a protect entry: every family matcher must hold, and
 * some member (every member, when {@code allMembers}) must hold all member matchers together.
 * Zombies and processes that exited during the scan have nothing left to match and are skipped.
 * An empty selector matches every family.
 */
public record Selector(List<Matcher> matchers, boolean allMembers) {

  public Selector {
    matchers = List.copyOf(matchers);
  }

  /** The result and each matcher's say, in the order the matchers were written. */
  public record Result(Truth truth, List<Matcher.Check> checks) {}

  public Result test(Snapshot s, Family f, Facts names) {
    List<Matcher.Check> checks = new ArrayList<>();
    Truth truth = Truth.YES;
    List<Matcher.OnMember> onMember = new ArrayList<>();
    for (Matcher m : matchers) {
      if (m instanceof Matcher.OnFamily fm) {
        Matcher.Check c = fm.test(s, f);
        checks.add(c);
        truth = truth.and(c.truth());
      } else {
        onMember.add((Matcher.OnMember) m);
      }
    }
    if (!onMember.isEmpty()) {
      Matcher.Check c = members(s, f, names, onMember);
      checks.add(c);
      truth = truth.and(c.truth());
    }
    return new Result(truth, checks);
  }

  private Matcher.Check members(Snapshot s, Family f, Facts names, List<Matcher.OnMember> ms) {
    StringBuilder keys = new StringBuilder();
    for (Matcher.OnMember m : ms) {
      keys.append(keys.length() == 0 ? "" : "+").append(m.key());
    }
    String key = keys.toString();
    // a loop, not a stream: this runs for every family and rule (see Matcher.Regex.test)
    List<Proc> live = new ArrayList<>(f.size());
    for (Family.Member m : f.members()) {
      Proc p = m.proc();
      if (!p.zombie() && !s.vanished(p.pid())) {
        live.add(p);
      }
    }
    if (live.isEmpty()) {
      return new Matcher.Check(key, Truth.NO, key + ": no live member to match");
    }
    // The member that decides: the first that holds (any) or fails (all), which settles the
    // result whatever the others say; else the first unknown; else the first member.
    Truth deciding = allMembers ? Truth.NO : Truth.YES;
    Proc shown = null;
    Proc unknown = null;
    Truth any = Truth.NO;
    Truth every = Truth.YES;
    for (Proc p : live) {
      Truth t = Truth.YES;
      for (Matcher.OnMember m : ms) {
        t = t.and(m.test(s, p, names));
      }
      any = any.or(t);
      every = every.and(t);
      if (t == deciding) {
        shown = p;
        break;
      }
      if (t == Truth.UNKNOWN && unknown == null) {
        unknown = p;
      }
    }
    if (shown == null) {
      shown = unknown != null ? unknown : live.get(0);
    }
    Truth t = allMembers ? every : any;
    StringBuilder d = new StringBuilder(key).append(allMembers ? " (every member)" : "")
        .append(": ");
    if (t == Truth.UNKNOWN) {
      d.append("unknown: a value of pid ").append(shown.pid()).append(" could not be read");
    } else if (allMembers) {
      d.append(t == Truth.YES ? "all " + live.size() + " members hold"
          : "pid " + shown.pid() + " does not hold");
    } else {
      d.append(t == Truth.YES ? "held by pid " + shown.pid()
          : "none of " + live.size() + " member(s) holds, e.g. pid " + shown.pid());
    }
    for (Matcher.OnMember m : ms) {
      d.append("; ").append(m.key()).append(" ").append(m.normalised()).append(" vs ")
          .append(m.show(s, shown, names)).append(" -> ").append(m.test(s, shown, names).word());
    }
    return new Matcher.Check(key, t, d.toString());
  }
}
