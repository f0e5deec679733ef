package org.orphanreaper;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A sealed process world for tests that signal: a bash script runs as PID 1 of a new PID
 * namespace with its own /proc, so the reaper it starts sees and can signal only processes the
 * script created. When the script ends the kernel kills whatever is left inside.
 */
public final class PidNamespace {

  /** Helpers every script gets: $REAPER runs the reaper from the test classpath. */
  private static final String PRELUDE = String.join("\n",
      "set -u",
      "as_user() { u=$1; shift; setpriv --reuid \"$u\" --regid \"$u\" --clear-groups \"$@\"; }",
      "# orphan NAME UID CMD...: a setsid double-forked daemon whose argv[0] is NAME",
      "orphan() { n=$1; u=$2; shift 2; as_user \"$u\" setsid bash -c "
          + "'n=$1; shift; (exec -a \"$n\" \"$@\") & ' _ \"$n\" \"$@\" </dev/null >/dev/null 2>&1; }",
      "wait_for() { for _ in $(seq 100); do [ \"$(count \"$1\")\" -ge \"${2:-1}\" ] && return 0;"
          + " sleep 0.05; done; echo \"timeout waiting for $1\" >&2; return 1; }",
      "# count PATTERN: live (non-zombie) processes whose argv contains PATTERN, awk excluded",
      "count() { ps -eo stat=,comm=,args= | awk -v p=\"$1\" "
          + "'$1 !~ /^Z/ && $2 != \"awk\" && index($0, p) {n++} END {print n+0}'; }",
      "# reap ARGS: the reaper, logging to $SYSLOG_SOCKET (default: a socket nobody listens on),",
      "# obeying $RULES (default: a file that kills every orphaned family)",
      "printf 'rules:\\n  - name: all-orphans\\n    action: kill\\n' > \"$T/kill-all.yaml\"",
      "reap() { $REAPER --syslog-socket \"${SYSLOG_SOCKET:-$T/no-syslog}\""
          + " --rules \"${RULES:-$T/kill-all.yaml}\" --accounting \"$T/accounting.jsonl\""
          + " --state \"$T/grace.state\" \"$@\";"
          + " echo \"exit=$?\" >> \"$T/exits\"; }",
      "# becomes_root_script: $T/becomes-root.sh, which runs a setuid-root copy of sleep",
      "# (orphan-became-root) from its TERM trap; prints NOSUID and ends the script where $T is",
      "# mounted nosuid",
      "becomes_root_script() { chmod 755 $T;"
          + " findmnt -no OPTIONS -T $T | grep -q nosuid && { echo NOSUID; exit 0; };"
          + " cp /bin/sleep $T/suid-sleep; chown 0:0 $T/suid-sleep; chmod 4755 $T/suid-sleep;"
          + " printf '%s\\n' '#!/bin/bash'"
          + " \"trap 'exec -a orphan-became-root $T/suid-sleep 1000' TERM\""
          + " 'while :; do sleep 0.2; done' > $T/becomes-root.sh; chmod 755 $T/becomes-root.sh; }",
      "# held_family: 301 processes of $ORTEST1_UID that ignore TERM (orphan-held), $v the oldest",
      "held_family() { orphan x $ORTEST1_UID bash -c 'trap \"\" TERM; for i in $(seq 300); do"
          + " (exec -a orphan-held sleep 1000 &); done; exec -a orphan-held sleep 1000';"
          + " wait_for orphan-held 301; v=$(pgrep -o -f orphan-held); }",
      "# cgmounts: 'MOUNTPOINT TYPE SUPER-OPTIONS' of every cgroup mount this namespace sees",
      "cgmounts() { awk '{for (i = 7; i <= NF; i++) if ($i == \"-\") {"
          + " if ($(i+1) ~ /^cgroup/) print $5, $(i+1), $(i+3); break }}' /proc/self/mountinfo; }",
      "# pens: the reaper's kill cgroups left in any hierarchy (none after a run that ended)",
      "pens() { cgmounts | while read -r m _; do find \"$m\" -maxdepth 3 -type d"
          + " -path \"*/$PEN_BASE/*\" -name 'kill-*'; done 2>/dev/null | wc -l; }",
      "# penned PATTERN: live processes matching PATTERN that sit in one of the reaper's pens",
      "penned() { n=0; for p in $(pgrep -f -- \"$1\"); do grep -q '/kill-' /proc/$p/cgroup"
          + " 2>/dev/null && n=$((n+1)); done; echo $n; }",
      "# hierarchy cgroup2|freezer: makes sure it is mounted (privately, in this namespace's",
      "# mounts), or prints NO-HIERARCHY and ends the script",
      "hierarchy() { case $1 in",
      "  cgroup2) cgmounts | grep -q ' cgroup2 ' || { mkdir -p $T/cg2 &&"
          + " mount -t cgroup2 none $T/cg2; } || { echo NO-HIERARCHY; exit 0; } ;;",
      "  freezer) cgmounts | grep -q ' cgroup .*freezer' ||"
          + " { mkdir -p $T/freezer && mount -t cgroup -o freezer none $T/freezer; } ||"
          + " { echo NO-HIERARCHY; exit 0; } ;;",
      "esac; }",
      "# rsyslog: a real rsyslogd on $T/log writing 'facility severity program message' lines",
      "rsyslog() { printf '%s\\n' 'global(workDirectory=\"'$T'\")'"
          + " 'module(load=\"imuxsock\" SysSock.Use=\"off\")'"
          + " 'input(type=\"imuxsock\" Socket=\"'$T/log'\")'"
          + " 'template(name=\"t\" type=\"string\" string=\"%syslogfacility-text%"
          + " %syslogseverity-text% %programname% %msg%\\n\")'"
          + " '*.* action(type=\"omfile\" file=\"'$T/syslog.out'\" template=\"t\")'"
          + " > $T/rsyslog.conf; /usr/sbin/rsyslogd -n -f $T/rsyslog.conf -i $T/rsyslog.pid &"
          + " for _ in $(seq 100); do [ -S $T/log ] && break; sleep 0.05; done;"
          + " SYSLOG_SOCKET=$T/log; }",
      "");

  private PidNamespace() {}

  /**
   * The test users' uids (ortest1, ortest2 in the beds), picked once per test JVM among uids
   * that no passwd or group entry (as NSS answers, LDAP included) and no process of the host
   * uses, from 5001 up: the same on every run of a clean machine, never a real user's. Scenario
   * scripts get them as $ORTEST1_UID and $ORTEST2_UID.
   */
  public static final int U1;
  public static final int U2;

  static {
    int[] free = TestUids.pick(2);
    U1 = free[0];
    U2 = free[1];
  }

  /** Skips the calling test, with the reason, when it cannot create a PID namespace. */
  public static void assumeAvailable() {
    boolean root = new org.orphanreaper.proc.ProcFs(Path.of("/proc")).selfCredentials()
        .map(c -> c.euid() == 0).orElse(false);
    assumeTrue(root, "needs root to create a PID namespace and switch uids; skipped");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")), "needs unshare(1); skipped");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv(1); skipped");
  }

  /**
   * The reaper's kill cgroups (pens) left on the host's cgroup hierarchies: a test must leave
   * none (the host as it found it).
   */
  /**
   * The top-level cgroup directory of the pens the scenarios' reapers make (one per test JVM),
   * so that a test counts its own and never those of other runs on the host.
   */
  public static final String PEN_BASE = "orphan-reaper-test-" + ProcessHandle.current().pid();

  public static java.util.List<Path> pensLeft() throws java.io.IOException {
    java.util.List<Path> left = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      int dash = java.util.Arrays.asList(f).indexOf("-");
      if (dash < 0 || !f[dash + 1].startsWith("cgroup")) {
        continue;
      }
      Path base = Path.of(f[4], PEN_BASE);
      if (Files.isDirectory(base)) {
        try (var pens = Files.list(base)) {
          pens.filter(d -> d.getFileName().toString().startsWith("kill-")).forEach(left::add);
        }
      }
    }
    return left;
  }

  /** Skips the calling test, with the reason, on a machine without rsyslogd. */
  public static void assumeRsyslogd() {
    assumeTrue(Files.isExecutable(Path.of("/usr/sbin/rsyslogd")),
        "needs rsyslogd (package rsyslog); skipped");
  }

  /** What the script printed and how it ended. */
  public record Result(String out, String err, int exit, List<Integer> reaperExits) {}

  /** Runs {@code script} as PID 1 of a new PID namespace, with $T a private temp dir. */
  public static Result run(Path tmp, String script, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path file = tmp.resolve("scenario.sh");
    Files.writeString(file, PRELUDE + script + "\n", StandardCharsets.UTF_8);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String reaper = java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
        + " -Dorphanreaper.cgroup.base=" + PEN_BASE + " -cp "
        + System.getProperty("java.class.path") + " org.orphanreaper.cli.Main --lock "
        + tmp.resolve("lock");
    ProcessBuilder pb = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc",
        "--kill-child", "bash", file.toString());
    pb.environment().put("T", tmp.toString());
    pb.environment().put("PEN_BASE", PEN_BASE);
    pb.environment().put("REAPER", reaper);
    pb.environment().put("ORTEST1_UID", Integer.toString(U1));
    pb.environment().put("ORTEST2_UID", Integer.toString(U2));
    // the beds change /etc only where this is not the mount namespace they run in
    pb.environment().put("TESTBED_HOST_MNT_NS",
        Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString());
    pb.redirectOutput(tmp.resolve("out").toFile());
    pb.redirectError(tmp.resolve("err").toFile());
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly(); // unshare --kill-child takes the namespace down with it
      p.waitFor();
      throw new AssertionError("scenario timed out; stdout: " + read(tmp.resolve("out"))
          + "\nstderr: " + read(tmp.resolve("err")));
    }
    List<Integer> exits = new ArrayList<>();
    for (String line : read(tmp.resolve("exits")).split("\n")) {
      if (line.startsWith("exit=")) {
        exits.add(Integer.parseInt(line.substring(5).trim()));
      }
    }
    return new Result(read(tmp.resolve("out")), read(tmp.resolve("err")), p.exitValue(), exits);
  }

  private static String read(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
  }
}
