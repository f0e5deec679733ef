package org.orphanreaper.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.orphanreaper.proc.FakeProc;
import org.orphanreaper.tree.Scanned;

/**
 * Every matcher and comparison against one fixture family, table-driven: the match block, the
 * expected result on the family of root 500 (three live members and a zombie).
 */
class MatcherTableTest {

  @TempDir Path dir;
  Scanned scanned;

  @BeforeEach
  void family() throws Exception {
    FakeProc fp = new FakeProc(dir);
    fp.proc(1).ppid(0).uid(0).comm("init").write();
    // root 500: alice (5001), 2 h old, 30 s CPU, 1000 pages; groups 5001 and 6001 (atlas)
    fp.proc(500).uid(5001).groups("5001 6001").comm("globus-job-mana")
        .cmdline("perl /usr/sbin/globus-job-manager -conf x").exe("/usr/bin/perl")
        .cgroup("12:freezer:/slurm/uid_5001/job_42/step_batch\n0::/user.slice")
        .ageSeconds(7200).cpuSeconds(30).rssPages(1000).write();
    // child 501: setuid-to-bob (real 5001, effective 5002), 1 h old, 45 s CPU, in D state
    fp.proc(501).ppid(500).sid(500).uid(5001).euid(5002).comm("sleep").cmdline("sleep 600")
        .state('D').ageSeconds(3600).cpuSeconds(45).rssPages(24).write();
    // child 502 with a tty, no readable cmdline (empty argv)
    fp.proc(502).ppid(500).sid(500).comm("bash").cmdline("").tty(34816).write();
    fp.proc(503).ppid(502).sid(500).state('Z').comm("defunct").write();
    scanned = Scanned.of(fp);
  }

  private Truth eval(String match) throws Exception {
    RuleSet r = RulesParser.parse("t.yaml",
        "rules:\n  - name: r\n    match: " + match + "\n    action: kill\n");
    Facts names = new Facts(
        uid -> uid == 5001 ? Optional.of("alice") : uid == 5002 ? Optional.of("bob")
            : Optional.empty(),
        gid -> gid == 6001 ? Optional.of("atlas") : Optional.empty());
    return r.rules().get(0).selector().test(scanned.snapshot(), scanned.family(500), names)
        .truth();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = ';', value = {
    // family measures: cputime is the sum (30+45+0+0 = 75 s), walltime the oldest (2 h)
    "{ cputime: '> 1m' }                         ; YES",
    "{ cputime: '>= 75s' }                       ; YES",
    "{ cputime: '> 75' }                         ; NO",
    "{ cputime: '== 1m15s' }                     ; YES",
    "{ walltime: '<= 2h' }                       ; YES",
    "{ walltime: '< 2h' }                        ; NO",
    "{ walltime: '> 01:59:59' }                  ; YES",
    "{ walltime: '>= 1d' }                       ; NO",
    // rss is the sum: (1000 + 24 + 250 + 250) pages of 4 KiB = 6096 KiB
    "{ rss: '>= 6096K' }                         ; YES",
    "{ rss: '> 5.96M' }                          ; NO",
    "{ rss: '< 1G' }                             ; YES",
    "{ processes: '== 4' }                       ; YES",
    "{ processes: '> 4' }                        ; NO",
    // users: real or effective uid, by name, glob, id or range
    "{ users: alice }                            ; YES",
    "{ users: [carol, 'b*'] }                    ; YES",
    "{ users: carol }                            ; NO",
    "{ uids: 5002 }                              ; YES",
    "{ uids: 5000-5001 }                         ; YES",
    "{ uids: [10, 100-999] }                     ; NO",
    // groups: primary or supplementary
    "{ groups: atlas }                           ; YES",
    "{ gids: 6000-6999 }                         ; YES",
    "{ gids: 7000 }                              ; NO",
    // command: regex found in comm (15 characters)
    "{ command: '^globus-job-mana$' }            ; YES",
    "{ command: 'globus-job-manager' }           ; NO",
    "{ command: '^(sleep|bash)$' }               ; YES",
    // cmdline: regex found in argv; 502's empty argv is unknown, but 500 holds
    "{ cmdline: 'globus-job-manager' }           ; YES",
    "{ cmdline: '^sleep 600$' }                  ; YES",
    "{ cmdline: 'nothing-like-this' }            ; UNKNOWN",
    // exe: glob on the executable path
    "{ exe: '/usr/bin/*' }                       ; YES",
    "{ exe: '/usr/*' }                           ; NO",
    "{ exe: '/usr/**' }                          ; YES",
    "{ exe: '/usr/bin/pyth?n' }                  ; NO",
    // cgroup: glob on any line's path
    "{ cgroup: '/slurm/uid_*/job_*/**' }         ; YES",
    "{ cgroup: '/system.slice/**' }              ; NO",
    "{ state: D }                                ; YES",
    "{ state: [R, T] }                           ; NO",
    // zombies are skipped: Z never matches a live member
    "{ state: Z }                                ; NO",
    "{ tty: true }                               ; YES",
    "{ tty: false }                              ; YES",
    "{ tty: false, members: all }                ; NO",
    // member matchers must hold together on one member
    "{ users: alice, command: '^sleep$' }        ; YES",
    "{ command: '^bash$', state: D }             ; NO",
    "{ command: '^bash$', walltime: '> 1h' }     ; YES",
    "{ users: 'a*', members: all }               ; YES",
    "{ exe: '/usr/bin/perl', members: all }      ; NO",
    "{ uids: 5001, members: all }                ; YES",
    "{}                                          ; YES",
  })
  void matcher(String match, Truth expected) throws Exception {
    assertThat(eval(match)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = ';', value = {
    "{ users: nobody-has-a-name }                ; UNKNOWN",
    "{ uids: 5001 }                              ; YES",
  })
  void nameLookupsThatFailAreUnknownNotNo(String match, Truth expected) throws Exception {
    RuleSet r = RulesParser.parse("t.yaml",
        "rules:\n  - name: r\n    match: " + match + "\n    action: kill\n");
    assertThat(r.rules().get(0).selector()
        .test(scanned.snapshot(), scanned.family(500), Facts.NONE).truth()).isEqualTo(expected);
  }
}
