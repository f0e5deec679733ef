package org.orphanreaper.base;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax shared by the command line and the rules file: {@code 90s}, {@code 15m},
 * {@code 2h}, {@code 1d}, {@code 1w}, {@code 1h30m}, {@code 90} (seconds), and the clock forms ps
 * and Slurm print: {@code MM:SS}, {@code HH:MM:SS}, {@code D-HH:MM:SS}.
 */
public final class DurationSyntax {
  private DurationSyntax() {}

  private static final Pattern UNITS = Pattern.compile("(?:\\d+[wdhms])+");
  private static final Pattern UNIT = Pattern.compile("(\\d+)([wdhms])");
  private static final Pattern CLOCK =
      Pattern.compile("(?:(\\d+)-)?(?:(\\d+):)?(\\d{1,2}):(\\d{1,2})");

  /**
   * The longest duration accepted: 100 years of 365 days. Durations are added to instants and,
   * as nanoseconds, to {@code System.nanoTime()} (a kill's deadline): a long holds 292 years of
   * nanoseconds, so 100 years leaves room for that sum, and no schedule means more.
   */
  public static final Duration MAX = Duration.ofDays(36500);

  /** Parses {@code text}; the exception's message is a one-line explanation for the user. */
  public static Duration parse(String text) {
    String t = text.trim();
    try {
      long seconds;
      if (t.matches("\\d+")) {
        seconds = Long.parseLong(t);
      } else if (UNITS.matcher(t).matches()) {
        seconds = 0;
        Matcher m = UNIT.matcher(t);
        while (m.find()) {
          seconds = plus(seconds, Long.parseLong(m.group(1)), m.group(2).charAt(0));
        }
      } else {
        Matcher m = CLOCK.matcher(t);
        if (!m.matches() || (m.group(1) != null && m.group(2) == null)) {
          throw new IllegalArgumentException(bad(text));
        }
        long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long hours = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        long minutes = Long.parseLong(m.group(3));
        long secs = Long.parseLong(m.group(4));
        if (minutes > 59 || secs > 59 || (m.group(1) != null && hours > 23)) {
          throw new IllegalArgumentException(bad(text));
        }
        seconds = plus(plus(plus(secs, minutes, 'm'), hours, 'h'), days, 'd');
      }
      if (seconds > MAX.getSeconds()) {
        throw new IllegalArgumentException(outOfRange(text));
      }
      return Duration.ofSeconds(seconds);
    } catch (ArithmeticException | NumberFormatException e) {
      // Only digits reach parseLong, so it fails, like the sums, only on a number too big.
      throw new IllegalArgumentException(outOfRange(text), e);
    }
  }

  /** {@code total} plus {@code count} units; an ArithmeticException rather than wrapping. */
  private static long plus(long total, long count, char unit) {
    return Math.addExact(total, Math.multiplyExact(count, unit(unit)));
  }

  /** The shortest unit form of {@code d}, whole seconds: {@code 1d2h}, {@code 90s} is {@code 1m30s}. */
  public static String format(Duration d) {
    long s = d.getSeconds();
    if (s == 0) {
      return "0s";
    }
    StringBuilder b = new StringBuilder();
    for (char c : new char[] {'w', 'd', 'h', 'm', 's'}) {
      long u = unit(c);
      if (s >= u) {
        b.append(s / u).append(c);
        s %= u;
      }
    }
    return b.toString();
  }

  private static long unit(char c) {
    return switch (c) {
      case 'w' -> 7 * 86400L;
      case 'd' -> 86400L;
      case 'h' -> 3600L;
      case 'm' -> 60L;
      default -> 1L;
    };
  }

  private static String outOfRange(String text) {
    return "duration '" + text + "' is out of range: at most " + MAX.toDays() + "d (100 years)";
  }

  private static String bad(String text) {
    return "invalid duration '" + text
        + "' (use e.g. 90s, 15m, 2h, 1d, 1h30m, HH:MM:SS or D-HH:MM:SS)";
  }
}
