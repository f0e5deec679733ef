package org.orphanreaper.plan;

import org.orphanreaper.tree.Family;

/** One family and what to do with it. */
public record Decision(Family family, Verdict verdict) {
  public boolean kills() {
    return verdict instanceof Verdict.Kill;
  }
}
