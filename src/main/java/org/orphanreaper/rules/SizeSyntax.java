package org.orphanreaper.rules;

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

  /** Bytes; the exception's message is a one-line explanation for the user. */
  public static long parse(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid size '" + text + "' (use e.g. 4096, 512K, 100M, 1.5G, 2T)");
    }
    String unit = m.group(2).toUpperCase(Locale.ROOT);
    double factor = unit.isEmpty() ? 1 : Math.pow(1024, UNITS.indexOf(unit) + 1);
    double bytes = Double.parseDouble(m.group(1)) * factor;
    if (bytes > 1L << 60) {
      throw new IllegalArgumentException("size '" + text + "' is too large");
    }
    return Math.round(bytes);
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
