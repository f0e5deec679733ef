package org.orphanreaper.plan;

import java.time.Duration;
import org.orphanreaper.act.Signal;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;

/**
 * The command-line policy of the standalone script: kill an orphaned family once it used at least
 * {@code minCputime} of CPU and has run for at least {@code minWalltime}.
 */
public record Thresholds(Duration minCputime, Duration minWalltime, Signal signal, Duration killAfter)
    implements Policy {

  @Override
  public Verdict judge(Snapshot s, Family f) {
    Duration cpu = f.cputime(s);
    Duration wall = f.walltime(s);
    if (cpu.compareTo(minCputime) < 0) {
      return new Verdict.Keep(
          "cputime " + TimeFormat.clock(cpu) + " below --cputime " + TimeFormat.clock(minCputime),
          false);
    }
    if (wall.compareTo(minWalltime) < 0) {
      return new Verdict.Keep(
          "walltime " + TimeFormat.clock(wall) + " below --walltime "
              + TimeFormat.clock(minWalltime),
          false);
    }
    StringBuilder why = new StringBuilder("orphaned: parent of ");
    why.append(f.rootPids().size() == 1 ? "root " : "roots ");
    why.append(joined(f)).append(" is init");
    if (!minCputime.isZero()) {
      why.append("; cputime ").append(TimeFormat.clock(cpu)).append(" >= ")
          .append(TimeFormat.clock(minCputime));
    }
    if (!minWalltime.isZero()) {
      why.append("; walltime ").append(TimeFormat.clock(wall)).append(" >= ")
          .append(TimeFormat.clock(minWalltime));
    }
    return new Verdict.Kill(why.toString(), signal, killAfter);
  }

  private static String joined(Family f) {
    StringBuilder b = new StringBuilder();
    for (int pid : f.rootPids()) {
      b.append(b.length() == 0 ? "" : ",").append(pid);
    }
    return b.toString();
  }
}
