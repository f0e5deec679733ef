package org.orphanreaper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.orphanreaper.PidNamespace;

/** Decisions that depend on what a PID namespace looks like from inside, on real processes. */
class DecisionsInNamespaceTest {

  @TempDir Path tmp;

  @BeforeEach
  void needsNamespace() {
    PidNamespace.assumeAvailable();
  }

  /**
   * In a container or PID namespace there is no kthreadd: pid 2 is the first process init
   * started, here a user's orphaned daemon with a child (ppid 2). Both are the user's.
   */
  @Test
  void theNamespacesPidTwoIsAUsersOrphanAndIsKilled() throws Exception {
    PidNamespace.Result r = PidNamespace.run(tmp, String.join("\n",
        // the script's first child is pid 2: setpriv and setsid exec without forking (as_user,
        // a function, would fork a subshell first)
        "setpriv --reuid $ORTEST1_UID --regid $ORTEST1_UID --clear-groups setsid bash -c '(exec -a orphan-two-kid sleep 1000) &"
            + " exec -a orphan-two sleep 1000' </dev/null >/dev/null 2>&1 &",
        // (orphan-two alone would match orphan-two-kid too, before pid 2 has run its exec)
        "wait_for 'orphan-two 1000'; wait_for orphan-two-kid",
        "echo pid2=$(ps -o args= -p 2) kidppid=$(ps -o ppid= -C sleep | tr -d ' ' | sort -u"
            + " | tr '\\n' ,)",
        "reap --debug > $T/debug.txt",
        "reap --json --kill-after 3s > $T/kill.json",
        "echo left=$(count orphan-two)"), 120);
    assertThat(r.reaperExits()).as(r.err()).containsExactly(0, 0);
    assertThat(r.out()).as("the scenario's shape").contains("pid2=orphan-two 1000")
        .contains("kidppid=1,2,");
    assertThat(Files.readString(tmp.resolve("debug.txt"))).contains("would-kill")
        .contains("orphan-two 1000").contains("orphan-two-kid 1000");
    assertThat(Files.readString(tmp.resolve("kill.json"))).contains("\"root_pid\":2,")
        .contains("\"result\":\"killed\"");
    assertThat(r.out()).contains("left=0");
  }
}
