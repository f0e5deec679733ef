package org.orphanreaper.tree;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.orphanreaper.proc.Part;
import org.orphanreaper.proc.ProcFs;
import org.orphanreaper.proc.Snapshot;

/** A fixture procfs read the way a run reads it: scanned, families found, members described. */
public record Scanned(Snapshot snapshot, ProcessTree tree, List<Family> families) {

  public static Scanned of(Path procRoot) throws Exception {
    ProcFs procfs = new ProcFs(procRoot);
    Snapshot s = procfs.scan();
    List<Family> families = FamilyFinder.initOnly().orphans(new ProcessTree(s));
    Set<Integer> pids = new HashSet<>();
    families.forEach(f -> pids.addAll(f.pids()));
    s = procfs.read(s, pids, Part.FULL_WITH_CGROUP);
    return new Scanned(s, new ProcessTree(s), families);
  }

  public Family family(int rootPid) {
    return families.stream().filter(f -> f.root().pid() == rootPid).findFirst().orElseThrow();
  }
}
