package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.PidNamespace;

/**
 * A user chooses the comm and argv of their processes: a line feed or an escape sequence in them
 * must not forge a record in any output. Every output shows them escaped, in its own syntax.
 */
class ForgedOutputInNamespaceTest {

  @TempDir Path tmp;

  @BeforeEach
  void needsNamespace() {
    PidNamespace.assumeAvailable();
    PidNamespace.assumeRsyslogd();
  }

  @Test
  void aLineFeedInCommOrAnEscapeInArgvForgesNoLine() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        "rsyslog",
        // an empty cmdline shows as [comm]; comm (15 bytes) is a line feed and a record's start
        "orphan orphan-perl $ORTEST1_UID perl -e '$0 = \"\"; open F, \">/proc/self/comm\";"
            + " print F \"x\\nkilled family\"; close F; sleep 1000'",
        // argv[0] with an escape sequence that clears the screen, and a tab
        "orphan \"$(printf 'orphan-evil\\033[2J\\tx')\" $ORTEST1_UID sleep 1000",
        "wait_for orphan-evil; wait_for 'killed family'",
        "reap --debug > $T/debug.txt",
        "reap --debug --json > $T/debug.json",
        "reap --kill-after 2s > $T/kill.txt",
        "sleep 1",
        "echo left=$(count orphan-evil) $(count 'killed family')"), 120);
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0, 0, 0);
    assertThat(r.out()).contains("left=0 0");

    // kill-mode stdout: one line per family, and the summary
    String kill = Files.readString(tmp.resolve("kill.txt"));
    assertThat(kill.lines().filter(l -> l.startsWith("killed family"))).as(kill).hasSize(2);
    assertThat(kill.lines().filter(l -> l.startsWith("run mode=kill "))).as(kill).hasSize(1);
    assertThat(kill).as(kill).hasLineCount(3)
        .contains(" command=\"[x\\nkilled family]\" reason=\"rule 'all-orphans'")
        .contains(" command=\"orphan-evil\\x1b[2J\\tx 1000\" reason=")
        .doesNotContain("\u001b");

    // syslog: one message per family, and the summary
    String log = Files.readString(tmp.resolve("syslog.out"));
    assertThat(log.lines().filter(l -> l.matches("daemon \\w+ orphan-reaper\\s+killed family .*")))
        .as(log).hasSize(2);
    assertThat(log).as(log).hasLineCount(3)
        .contains("command=\"[x\\nkilled family]\"")
        .contains("command=\"orphan-evil\\x1b[2J\\tx 1000\"");

    // the listing: every process line escaped
    String listing = Files.readString(tmp.resolve("debug.txt"));
    assertThat(listing.lines().filter(l -> l.startsWith("killed family"))).as(listing).isEmpty();
    assertThat(listing).contains(" [x\\nkilled family]\n").contains(" orphan-evil\\x1b[2J\\tx 1000\n")
        .doesNotContain("\u001b");

    // JSON and accounting: JSON's own escapes
    String json = Files.readString(tmp.resolve("debug.json"));
    assertThat(json).hasLineCount(1).contains("\"comm\":\"x\\nkilled family\"")
        .contains("\"cmdline\":\"[x\\nkilled family]\"")
        .contains("\"cmdline\":\"orphan-evil\\u001b[2J\\tx 1000\"");
    String acct = Files.readString(tmp.resolve("accounting.jsonl"));
    assertThat(acct.lines()).as(acct).hasSize(2);
    assertThat(acct).contains("\"comm\":\"x\\nkilled family\"")
        .contains("\"cmdline\":\"orphan-evil\\u001b[2J\\tx 1000\"");
  }
}
