package org.orphanreaper.plan;

import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;

/** Decides about a family the hard floor has let through. */
public interface Policy {
  Verdict judge(Snapshot snapshot, Family family);
}
