package org.orphanreaper.plan;

import java.time.Duration;

/** Durations the way ps prints them: {@code [D-]HH:MM:SS}. */
public final class TimeFormat {
  private TimeFormat() {}

  public static String clock(Duration d) {
    long s = Math.max(0, d.getSeconds());
    long days = s / 86400;
    String hms = String.format("%02d:%02d:%02d", (s / 3600) % 24, (s / 60) % 60, s % 60);
    return days > 0 ? days + "-" + hms : hms;
  }
}
