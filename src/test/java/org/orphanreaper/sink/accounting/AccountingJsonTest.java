package org.orphanreaper.sink.accounting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccountingJsonTest {

  static AccountingRecord sample() {
    return new AccountingRecord(
        Instant.parse("2024-05-01T12:00:00.123456Z"),
        "wn042",
        4325,
        Instant.parse("2024-05-01T09:49:16.410Z"),
        5001,
        Optional.of("alice"),
        4321,
        4325,
        "boinc",
        "boinc --daemon",
        Duration.ofMillis(3010),
        Duration.ofMillis(7844_990),
        Optional.of("long-running"),
        List.of("STOP", "TERM", "CONT"),
        AccountingRecord.Result.EXITED,
        ReasonCode.TERM_ORPHAN,
        "rule 'long-running': orphaned");
  }

  @Test
  void writesTheDocumentedFieldsInOrder() {
    String expected =
        String.join(
            ",",
            "{\"time\":\"2024-05-01T12:00:00.123456Z\"",
            "\"host\":\"wn042\"",
            "\"pid\":4325",
            "\"start_time\":\"2024-05-01T09:49:16.410Z\"",
            "\"uid\":5001",
            "\"user\":\"alice\"",
            "\"sid\":4321",
            "\"family_root\":4325",
            "\"comm\":\"boinc\"",
            "\"cmdline\":\"boinc --daemon\"",
            "\"cputime_s\":3.01",
            "\"walltime_s\":7844.99",
            "\"rule\":\"long-running\"",
            "\"signals\":[\"STOP\",\"TERM\",\"CONT\"]",
            "\"result\":\"exited\"",
            "\"reason_code\":\"TERM_ORPHAN\"",
            "\"reason\":\"rule 'long-running': orphaned\"}");
    assertThat(AccountingJson.line(sample())).isEqualTo(expected);
  }

  @Test
  void roundTripsHostileTextAndNulls() throws Exception {
    AccountingRecord r =
        new AccountingRecord(
            Instant.parse("2024-05-01T12:00:00Z"),
            "h",
            1,
            Instant.parse("2024-05-01T11:00:00Z"),
            -1,
            Optional.empty(),
            1,
            1,
            "a) S 1 1 1",
            "x\"y\\z\nw\t\u0001\u00e9\uD83D\uDE00 \uD800 lone",
            Duration.ZERO,
            Duration.ofDays(400),
            Optional.empty(),
            List.of(),
            AccountingRecord.Result.VANISHED,
            ReasonCode.TERM_JOB_GID,
            "");
    String line = AccountingJson.line(r);
    assertThat(line).doesNotContain("\n").contains("\"user\":null", "\"rule\":null");
    assertThat(AccountingJson.parse(line)).isEqualTo(r);
    assertThat(AccountingJson.parse(AccountingJson.line(sample()))).isEqualTo(sample());
  }

  @Test
  void ignoresFieldsALaterVersionMayAdd() throws Exception {
    String line = AccountingJson.line(sample());
    String more = line.substring(0, line.length() - 1) + ",\"job_id\":\"123\",\"x\":[{}]}";
    assertThat(AccountingJson.parse(more)).isEqualTo(sample());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"pid\":4325|\"pid\":\"4325\"|field 'pid' is not an integer",
        "\"pid\":4325|\"pid\":4325.5|field 'pid' is not an integer",
        "\"pid\":4325|\"pid\":99999999999|field 'pid' is not an integer",
        "\"pid\":4325,|''|missing field 'pid'",
        "\"user\":\"alice\"|\"user\":5|field 'user' is not a string or null",
        "\"host\":\"wn042\"|\"host\":null|field 'host' is not a string",
        "\"cputime_s\":3.01|\"cputime_s\":-1|field 'cputime_s' is not a number of seconds",
        "\"cputime_s\":3.01|\"cputime_s\":1e999999999|field 'cputime_s' is not a number of seconds",
        "\"time\":\"2024-05-01T12:00:00.123456Z\"|\"time\":\"yesterday\""
            + "|field 'time' is not an ISO-8601 UTC time",
        "[\"STOP\",\"TERM\",\"CONT\"]|[\"STOP\",15]|field 'signals' is not a list of strings",
        "\"result\":\"exited\"|\"result\":\"gone\"|unknown result 'gone'",
        "\"reason_code\":\"TERM_ORPHAN\"|\"reason_code\":\"TERM_OTHER\""
            + "|unknown reason_code 'TERM_OTHER'"
      })
  void rejectsAKnownFieldOfTheWrongShape(String from, String to, String message) {
    String line = AccountingJson.line(sample()).replace(from, to);
    assertThatThrownBy(() -> AccountingJson.parse(line))
        .isInstanceOf(JsonParser.MalformedException.class)
        .hasMessage(message);
  }

  @Test
  void rejectsJsonThatIsNotAnObject() {
    assertThatThrownBy(() -> AccountingJson.parse("[1]")).hasMessage("not a JSON object");
  }
}
