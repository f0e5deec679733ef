package org.orphanreaper.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Wall time per pipeline stage of one run, for {@code --timings} and the benchmark.
 *
 * <p>Each {@link #lap} closes the stage that ran since the previous lap; the line keeps the
 * stages in the order they ran, so a reader sees where a slow run spent its time.
 */
public final class Timings {
  private final long start;
  private long last;
  private final Map<String, Long> stages = new LinkedHashMap<>();

  public Timings() {
    start = System.nanoTime();
    last = start;
  }

  /** Ends the stage {@code name}; a stage lapped twice adds up. */
  public void lap(String name) {
    long now = System.nanoTime();
    stages.merge(name, now - last, Long::sum);
    last = now;
  }

  /** {@code timings: scan=1.2ms tree=0.3ms ... total=5.0ms}, milliseconds with one decimal. */
  public String line() {
    StringJoiner j = new StringJoiner(" ", "timings: ", "");
    stages.forEach((name, nanos) -> j.add(name + "=" + millis(nanos)));
    j.add("total=" + millis(last - start));
    return j.toString();
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
  }
}
