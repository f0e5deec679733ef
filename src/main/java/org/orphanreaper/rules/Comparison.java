package org.orphanreaper.rules;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.orphanreaper.base.DurationSyntax;
import org.orphanreaper.base.SizeSyntax;

/**
 * A comparison such as {@code > 2h}, {@code <= 10m}, {@code >= 1G} or {@code == 1}: an operator
 * and a value in the unit of its {@link Quantity}.
 */
public record Comparison(Op op, long value, Quantity quantity) {

  /** What the compared number measures, which decides how it is written and read. */
  public enum Quantity {
    /** Seconds, written as durations. */
    DURATION,
    /** Bytes, written as sizes. */
    SIZE,
    /** A plain count. */
    COUNT;

    long parse(String text) {
      return switch (this) {
        case DURATION -> DurationSyntax.parse(text).getSeconds();
        case SIZE -> SizeSyntax.parse(text);
        case COUNT -> count(text);
      };
    }

    public String format(long v) {
      return switch (this) {
        case DURATION -> DurationSyntax.format(Duration.ofSeconds(v));
        case SIZE -> SizeSyntax.format(v);
        case COUNT -> Long.toString(v);
      };
    }

    private static long count(String text) {
      try {
        long v = Long.parseLong(text.trim());
        if (v >= 0) {
          return v;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new IllegalArgumentException("invalid count '" + text + "' (use a whole number)");
    }
  }

  /** The operators, longest first so that {@code >=} is not read as {@code >}. */
  public enum Op {
    GE(">="),
    LE("<="),
    EQ("=="),
    GT(">"),
    LT("<");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    boolean test(long actual, long limit) {
      return switch (this) {
        case GE -> actual >= limit;
        case LE -> actual <= limit;
        case EQ -> actual == limit;
        case GT -> actual > limit;
        case LT -> actual < limit;
      };
    }
  }

  private static final Pattern FORM = Pattern.compile("\\s*(>=|<=|==|>|<)\\s*(\\S.*?)\\s*");

  /** Parses {@code text}; the exception's message is a one-line explanation for the user. */
  public static Comparison parse(String text, Quantity quantity) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      String example = switch (quantity) {
        case DURATION -> "'> 2h'";
        case SIZE -> "'>= 1G'";
        case COUNT -> "'> 100'";
      };
      throw new IllegalArgumentException("'" + text + "' is not a comparison such as " + example
          + " (operators >, >=, <, <=, ==)");
    }
    for (Op op : Op.values()) {
      if (op.symbol.equals(m.group(1))) {
        return new Comparison(op, quantity.parse(m.group(2)), quantity);
      }
    }
    throw new IllegalStateException("operator " + m.group(1));
  }

  public boolean test(long actual) {
    return op.test(actual, value);
  }

  /** {@code > 2h}: the normalised form, as {@code --check} prints it. */
  @Override
  public String toString() {
    return op.symbol + " " + quantity.format(value);
  }
}
