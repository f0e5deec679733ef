package org.orphanreaper.evidence;

import java.util.ArrayList;
import java.util.List;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;

/**
 * The GID ranges a batch system marks its jobs' processes with (Grid Engine's gid_range,
 * HTCondor's MIN/MAX_TRACKING_GID), each inclusive.
 */
record TrackingGids(List<long[]> ranges) {

  TrackingGids {
    ranges = List.copyOf(ranges);
  }

  /**
   * The tracking GIDs among a process's supplementary groups, as the kernel's unsigned ids. Asked
   * of every process of the node, most of them with none, on a cold JVM: loops, and no list
   * made for a process without any.
   */
  List<Long> of(Snapshot s, int pid) {
    Proc d = s.processes().get(pid);
    if (d == null || d.credentials().isEmpty()) {
      return List.of();
    }
    List<Long> out = List.of();
    for (int g : d.credentials().get().groups()) {
      long gid = g & 0xFFFFFFFFL;
      if (tracking(gid)) {
        if (out.isEmpty()) {
          out = new ArrayList<>();
        }
        out.add(gid);
      }
    }
    return out;
  }

  private boolean tracking(long gid) {
    for (long[] r : ranges) {
      if (gid >= r[0] && gid <= r[1]) {
        return true;
      }
    }
    return false;
  }
}
