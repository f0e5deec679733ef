package org.orphanreaper.rules;

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
  private static final long MAX_SECONDS = 100L * 365 * 86400;

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
          seconds = Math.addExact(seconds, Math.multiplyExact(Long.parseLong(m.group(1)),
              unit(m.group(2).charAt(0))));
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
        seconds = ((days * 24 + hours) * 60 + minutes) * 60 + secs;
      }
      if (seconds > MAX_SECONDS) {
        throw new IllegalArgumentException("duration '" + text + "' is longer than 100 years");
      }
      return Duration.ofSeconds(seconds);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(bad(text), e);
    }
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

  private static String bad(String text) {
    return "invalid duration '" + text
        + "' (use e.g. 90s, 15m, 2h, 1d, 1h30m, HH:MM:SS or D-HH:MM:SS)";
  }
}
