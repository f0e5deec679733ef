package org.orphanreaper.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text from processes and accounts, escaped the same way in every text output. */
class EscapeTest {

  @TempDir Path dir;

  @Test
  void ordinaryTextIsUnchanged() {
    for (String s : new String[] {"sleep 600", "/usr/bin/python3.11 -m x", "jörg", "日本語",
        "a'b", "emoji \uD83D\uDE00", ""}) {
      assertThat(Escape.text(s)).isSameAs(s);
      assertThat(Escape.quoted(s)).isSameAs(s);
    }
    assertThat(Escape.text("sh -c \"x\"")).isEqualTo("sh -c \"x\"");
    assertThat(Escape.value("alice")).isEqualTo("alice");
  }

  @Test
  void controlsBackslashAndHiddenCharactersAreCStyle() {
    assertThat(Escape.text("a\nb\rc\td\\e\u0000f\u001b[2J\u007f"))
        .isEqualTo("a\\nb\\rc\\td\\\\e\\x00f\\x1b[2J\\x7f");
    assertThat(Escape.text("\u0085 \u202eevil \u200b \u2028 \uD800x"))
        .isEqualTo("\\u0085 \\u202eevil \\u200b \\u2028 \\ud800x");
    assertThat(Escape.quoted("say \"hi\"\n")).isEqualTo("say \\\"hi\\\"\\n");
    assertThat(Escape.value("a b")).isEqualTo("\"a b\"");
    assertThat(Escape.value("a\"b")).isEqualTo("\"a\\\"b\"");
    assertThat(Escape.value("")).isEqualTo("\"\"");
  }

  /** A user name is chosen by whoever wrote passwd or the directory: it forges nothing either. */
  @Test
  void oddUserNamesForgeNoFieldAndNoLine() throws Exception {
    LongFunction<String> names = uid -> uid == 5001 ? "ev il\nkilled family sid=1" : "u" + uid;
    RunReport r = RunFixture.kill(dir);
    EventLines lines = new EventLines(names);
    String first = lines.family(r, r.logged().get(0));
    assertThat(first).doesNotContain("\n")
        .contains(" user=\"ev il\\nkilled family sid=1\" uid=5001 pids=");
    for (RunReport.FamilyReport f : r.logged()) {
      assertThat(lines.family(r, f)).doesNotContain("\n");
    }
    String survivor = lines.family(r, r.logged().get(r.logged().size() - 1));
    assertThat(survivor).contains(" reason=\"rule \\\"stuck\\\": orphaned\\nsecond line\"");

    String listing = new Listing(names).render(r, true);
    assertThat(listing.lines().filter(l -> l.startsWith("killed family"))).isEmpty();
    assertThat(listing).contains("family sid 100, user ev il\\nkilled family sid=1, 2 processes")
        .contains(" ev il\\nkilled family sid=1 ")
        .contains("  reason: rule \"stuck\": orphaned\\nsecond line\n");

    String json = new JsonReport(names).render(r);
    assertThat(json).doesNotContain("\n").contains("\"user\":\"ev il\\nkilled family sid=1\"");
  }
}
