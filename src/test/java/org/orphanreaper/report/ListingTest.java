package org.orphanreaper.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingTest {

  @TempDir Path dir;

  /** The process lines are padded by hand, column for column as the header's printf formats. */
  @Test
  void processLinesKeepTheHeadersColumns() throws Exception {
    String listing = new Listing(uid -> uid == 5002 ? "a-user-name-over-twelve" : "u" + uid)
        .render(RunFixture.kill(dir), true);
    String columns = "  %8s %8s %8s %-12s %11s %11s %s";
    assertThat(listing)
        .contains(String.format(columns, "PID", "PPID", "SID", "USER", "CPUTIME", "WALLTIME",
            "COMMAND") + "  RESULT\n")
        .contains(String.format(columns, 100, 1, 100, "u5001", "00:00:03", "02:10:44",
            "boinc --daemon") + "  [exited]\n")
        .contains(String.format(columns, 101, 100, 100, "u5001", "00:00:00", "02:10:40",
            "  \\_ sleep 600") + "  [killed]\n")
        .contains(String.format(columns, 200, 1, 200, "a-user-name-over-twelve", "00:00:00",
            "00:16:40", "tmux") + "\n")
        .contains(String.format(columns, 501, 500, 500, "?", "00:00:00", "00:16:40",
            "  \\_ sleep") + "  [vanished]\n");
  }
}
