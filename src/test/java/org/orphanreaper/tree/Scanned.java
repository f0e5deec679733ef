package org.orphanreaper.tree;

import java.util.List;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.proc.Snapshot;

/**
 * A fixture node as a decision sees it: its snapshot, the tree and the orphaned families, built
 * in memory ({@link FakeProc#snapshot()}: every process read in full, no /proc read), for the
 * tests of what is decided from a snapshot. The reads themselves are ProcFsTest's, and
 * FakeProcTest holds the two equal.
 */
public record Scanned(Snapshot snapshot, ProcessTree tree, List<Family> families) {

  /** The node {@code fp} wrote, in memory. */
  public static Scanned of(FakeProc fp) {
    Snapshot s = fp.snapshot();
    ProcessTree tree = new ProcessTree(s);
    return new Scanned(s, tree, FamilyFinder.initOnly().orphans(tree));
  }

  public Family family(int rootPid) {
    return families.stream().filter(f -> f.root().pid() == rootPid).findFirst().orElseThrow();
  }
}
