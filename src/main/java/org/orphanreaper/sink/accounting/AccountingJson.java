package org.orphanreaper.sink.accounting;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.orphanreaper.report.Json;

/**
 * One accounting record as one JSON line, and back. Reading is strict about the fields it knows
 * (each must be present with its type) and ignores fields it does not, so that a later version may
 * add fields without older readers calling its lines corrupt.
 */
public final class AccountingJson {
  private AccountingJson() {}

  /** The record as one line of JSON, without the line feed. */
  public static String line(AccountingRecord r) {
    Json j =
        new Json()
            .beginObject()
            .field("time", DateTimeFormatter.ISO_INSTANT.format(r.time()))
            .field("host", r.host())
            .field("pid", r.pid())
            .field("start_time", DateTimeFormatter.ISO_INSTANT.format(r.startTime()))
            .field("uid", r.uid())
            .field("user", r.user().orElse(null))
            .field("sid", r.sid())
            .field("family_root", r.familyRoot())
            .field("comm", r.comm())
            .field("cmdline", r.cmdline())
            .seconds("cputime_s", r.cputime())
            .seconds("walltime_s", r.walltime())
            .field("rule", r.rule().orElse(null))
            .beginArray("signals");
    for (String s : r.signals()) {
      j.value(s);
    }
    return j.endArray()
        .field("result", r.result().label())
        .field("reason_code", r.reasonCode().name())
        .field("reason", r.reason())
        .endObject()
        .toString();
  }

  /** The record one line holds; the exception's message says which field is wrong. */
  public static AccountingRecord parse(String line) throws JsonParser.MalformedException {
    if (!(JsonParser.parse(line) instanceof Map<?, ?> m)) {
      throw new JsonParser.MalformedException("not a JSON object");
    }
    Fields f = new Fields(m);
    String result = f.string("result");
    String code = f.string("reason_code");
    return new AccountingRecord(
        f.instant("time"),
        f.string("host"),
        f.integer("pid"),
        f.instant("start_time"),
        f.uid("uid"),
        f.optionalString("user"),
        f.integer("sid"),
        f.integer("family_root"),
        f.string("comm"),
        f.string("cmdline"),
        f.duration("cputime_s"),
        f.duration("walltime_s"),
        f.optionalString("rule"),
        f.strings("signals"),
        AccountingRecord.Result.ofLabel(result)
            .orElseThrow(
                () -> new JsonParser.MalformedException("unknown result '" + result + "'")),
        reasonCode(code),
        f.string("reason"));
  }

  private static ReasonCode reasonCode(String code) throws JsonParser.MalformedException {
    for (ReasonCode c : ReasonCode.values()) {
      if (c.name().equals(code)) {
        return c;
      }
    }
    throw new JsonParser.MalformedException("unknown reason_code '" + code + "'");
  }

  /** Typed access to the fields of one parsed line. */
  private static final class Fields {
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(1_000_000_000_000L);

    /**
     * The times a record may hold. Instant reaches a year further than any calendar date
     * (+1000000000-12-31 parses, then cannot be printed as a date), and the reaper only writes
     * the times of its runs and of processes: a time outside four-digit years is a corrupt line.
     */
    private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final Map<?, ?> m;

    Fields(Map<?, ?> m) {
      this.m = m;
    }

    private Object get(String name) throws JsonParser.MalformedException {
      if (!m.containsKey(name)) {
        throw new JsonParser.MalformedException("missing field '" + name + "'");
      }
      return m.get(name);
    }

    String string(String name) throws JsonParser.MalformedException {
      if (get(name) instanceof String s) {
        return s;
      }
      throw wrong(name, "a string");
    }

    Optional<String> optionalString(String name) throws JsonParser.MalformedException {
      Object v = get(name);
      if (v == null) {
        return Optional.empty();
      }
      if (v instanceof String s) {
        return Optional.of(s);
      }
      throw wrong(name, "a string or null");
    }

    /** A uid: 0 to 4294967295, or -1 for one that could not be read. */
    long uid(String name) throws JsonParser.MalformedException {
      if (get(name) instanceof BigDecimal n) {
        try {
          long v = n.longValueExact();
          if (v >= -1 && v <= 0xFFFFFFFFL) {
            return v;
          }
        } catch (ArithmeticException e) {
          // fractional or beyond long: falls through to the error
        }
      }
      throw wrong(name, "a uid (0 to 4294967295, or -1)");
    }

    int integer(String name) throws JsonParser.MalformedException {
      if (get(name) instanceof BigDecimal n) {
        try {
          return n.intValueExact();
        } catch (ArithmeticException e) {
          // fractional or beyond int: falls through to the error
        }
      }
      throw wrong(name, "an integer");
    }

    Duration duration(String name) throws JsonParser.MalformedException {
      // Bounded before scaling: "1e999999999" must not make a billion-digit number.
      if (get(name) instanceof BigDecimal n && n.signum() >= 0 && n.compareTo(MAX_SECONDS) <= 0) {
        return Duration.ofMillis(
            n.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact());
      }
      throw wrong(name, "a number of seconds");
    }

    Instant instant(String name) throws JsonParser.MalformedException {
      String s = string(name);
      Instant t;
      try {
        t = Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw wrong(name, "an ISO-8601 UTC time");
      }
      if (t.isBefore(FIRST) || t.isAfter(LAST)) {
        throw new JsonParser.MalformedException(
            "field '" + name + "' is out of range: '" + s + "' (years 0001 to 9999)");
      }
      return t;
    }

    List<String> strings(String name) throws JsonParser.MalformedException {
      if (get(name) instanceof List<?> l) {
        List<String> out = new ArrayList<>();
        for (Object o : l) {
          if (!(o instanceof String s)) {
            throw wrong(name, "a list of strings");
          }
          out.add(s);
        }
        return out;
      }
      throw wrong(name, "a list of strings");
    }

    private static JsonParser.MalformedException wrong(String name, String what) {
      return new JsonParser.MalformedException("field '" + name + "' is not " + what);
    }
  }
}
