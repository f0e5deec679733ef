package org.orphanreaper.evidence;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Slurm job a process's cgroup names, in every layout 22.05 to 26.05 make (read from Slurm's
 * source, see src/test/resources/evidence/README.md):
 * <ul>
 *   <li>cgroup v1: {@code /slurm/uid_U/job_J/step_S[/task_N]}, {@code /slurm_NODENAME/...} when
 *       Slurm was built for several slurmds on one host;</li>
 *   <li>cgroup v2: {@code /system.slice/slurmstepd.scope/job_J/step_S/{slurm,user/task_N}},
 *       {@code NODENAME_slurmstepd.scope} for several slurmds, another slice than system.slice
 *       with {@code CgroupSlice} (25.11), below a container's own cgroup (23.02.1 on); from
 *       26.05 the job directory is the job's SLUID ({@code s} and 13 Crockford base32
 *       characters) unless {@code CgroupJobIdPaths=yes}.</li>
 * </ul>
 * Array tasks and heterogeneous job components are named by their raw job id (or own SLUID).
 * A cgroup below a user's systemd instance ({@code user@UID.service}, which systemd delegates to
 * the user) names nothing: its owner could call it anything.
 */
final class SlurmCgroup {
  private SlurmCgroup() {}

  private static final Pattern JOB = Pattern.compile(
      "(?:/slurm(?:_[^/]+)?/uid_\\d+/job_(\\d+)"
          + "|/(?:[^/]+_)?slurmstepd\\.scope/(?:job_(\\d+)|(s[0-9A-HJKMNP-TV-Z]{13})))(?:/|$)");

  /** The job id (digits) or SLUID of the first path that names one. */
  static Optional<String> job(List<String> cgroupPaths) {
    for (String path : cgroupPaths) {
      if (path.contains("/user@")) {
        continue;
      }
      Matcher m = JOB.matcher(path);
      if (m.find()) {
        return Optional.of(m.group(1) != null ? m.group(1)
            : m.group(2) != null ? m.group(2) : m.group(3));
      }
    }
    return Optional.empty();
  }

  /** Whether a job key is a SLUID (26.05) rather than a numeric job id. */
  static boolean sluid(String job) {
    return job.startsWith("s");
  }
}
