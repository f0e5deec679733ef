package org.orphanreaper.base;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory sizes as admins write them: {@code 4096} (bytes), {@code 512K}, {@code 1.5G}, {@code 2T};
 * the units are binary (K = 1024, like ps and top), an optional {@code B} or {@code iB} suffix is
 * accepted.
 */
public final class SizeSyntax {
  private SizeSyntax() {}

  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(?:I?B)?", Pattern.CASE_INSENSITIVE);
  private static final String UNITS = "KMGT";

  /**
   * The largest size accepted, 2^60 bytes (1048576T): sizes are summed over a family's members,
   * and a long holds 8 times that.
   */
  static final long MAX = 1L << 60;

  /** Longer numbers are no size anyone means; the bound keeps BigDecimal's parsing cheap. */
  private static final int MAX_NUMBER_CHARS = 64;

  /** Bytes; the exception's message is a one-line explanation for the user. */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches() || m.group(1).length() > MAX_NUMBER_CHARS) {
      throw new IllegalArgumentException(
          "invalid size '" + text + "' (use e.g. 4096, 512K, 100M, 1.5G, 2T)");
    }
    String unit = m.group(2).toUpperCase(Locale.ROOT);
    int power = unit.isEmpty() ? 0 : UNITS.indexOf(unit) + 1;
    // Exact: a double would read 2^60 + 1 as 2^60, and round every size above 2^53.
    BigDecimal bytes = new BigDecimal(m.group(1))
        .multiply(BigDecimal.valueOf(1024).pow(power))
        .setScale(0, RoundingMode.HALF_UP);
    if (bytes.compareTo(BigDecimal.valueOf(MAX)) > 0) {
      throw new IllegalArgumentException(
          "size '" + text + "' is out of range: at most " + format(MAX));
    }
    return bytes.longValueExact();
  }

  /** {@code 1.5G}, {@code 512M}, {@code 100K} or bytes, with at most one decimal. */
  public static String format(long bytes) {
    for (int i = UNITS.length(); i >= 1; i--) {
      double v = bytes / Math.pow(1024, i);
      if (v >= 1) {
        String n = String.format(Locale.ROOT, "%.1f", v);
        return (n.endsWith(".0") ? n.substring(0, n.length() - 2) : n) + UNITS.charAt(i - 1);
      }
    }
    return Long.toString(bytes);
  }
}
