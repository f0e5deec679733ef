package org.orphanreaper.evidence;

import java.util.ArrayList;
import java.util.List;
import org.orphanreaper.proc.Credentials;
import org.orphanreaper.proc.ProcDetails;
import org.orphanreaper.proc.Snapshot;

/**
 * The GID ranges a batch system marks its jobs' processes with (Grid Engine's gid_range,
 * HTCondor's MIN/MAX_TRACKING_GID), each inclusive.
 */
record TrackingGids(List<long[]> ranges) {

  TrackingGids {
    ranges = List.copyOf(ranges);
  }

  /** The tracking GIDs among a process's supplementary groups, as the kernel's unsigned ids. */
  List<Long> of(Snapshot s, int pid) {
    List<Long> out = new ArrayList<>();
    List<Integer> groups = s.detailsOf(pid).flatMap(ProcDetails::credentials)
        .map(Credentials::groups).orElse(List.of());
    for (int g : groups) {
      long gid = g & 0xFFFFFFFFL;
      if (ranges.stream().anyMatch(r -> gid >= r[0] && gid <= r[1])) {
        out.add(gid);
      }
    }
    return out;
  }
}
