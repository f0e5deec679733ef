package org.orphanreaper.base;

import java.time.Duration;

/** Durations the way ps prints them: {@code [D-]HH:MM:SS}. */
public final class TimeFormat {
  private TimeFormat() {}

  /** By hand, not String.format: the listing prints two of these for every process. */
  public static String clock(Duration d) {
    long s = Math.max(0, d.getSeconds());
    long days = s / 86400;
    StringBuilder b = new StringBuilder(days > 0 ? days + "-" : "");
    twoDigits(b, (s / 3600) % 24).append(':');
    twoDigits(b, (s / 60) % 60).append(':');
    return twoDigits(b, s % 60).toString();
  }

  private static StringBuilder twoDigits(StringBuilder b, long v) {
    return b.append(v < 10 ? "0" : "").append(v);
  }
}
