package org.orphanreaper.rules;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Damages a rules file the ways hands, editors and disks do: truncations, flipped bytes, tabs,
 * quotes, colons, anchors and aliases, tags, numbers and durations too big for a long,
 * duplicated and swapped lines. Deterministic for a seed, so a failure can be found again.
 */
final class RulesMutator {

  private static final List<String> INSERTS = List.of("\t", "'", "\"", ":", ": ", " &a ", "*a",
      " *a", "&a [*a, *a]", "!!binary ", "!!java.io.File ", "<<: *a", "? ", "- ", "[", "]", "{",
      "}", "#", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "\r", "\u0000", "\uFEFF", "\\",
      "99999999999999999999", "-1", "1e999", "'5124095576030431:00:00'",
      "'213503982334602-00:00:00'", "'> 9999999999999999999999d'", "'>= 99999999999999999999T'",
      "  ", "\n", "\n  ", "é", "\uD83D\uDE00");

  private final Random random;

  RulesMutator(long seed) {
    this.random = new Random(seed);
  }

  /** One to three damages done to {@code original}. */
  byte[] mutate(byte[] original) {
    byte[] b = original;
    for (int n = 1 + random.nextInt(3); n > 0; n--) {
      b = once(b);
    }
    return b;
  }

  private byte[] once(byte[] b) {
    int at = b.length == 0 ? 0 : random.nextInt(b.length + 1);
    switch (random.nextInt(8)) {
      case 0: // truncated, as by a full disk or an interrupted copy
        return slice(b, 0, at);
      case 1: { // a byte flipped: often not UTF-8 any more
        if (b.length == 0) {
          return b;
        }
        byte[] c = b.clone();
        c[Math.min(at, b.length - 1)] ^= (byte) (1 << random.nextInt(8));
        return c;
      }
      case 2: // a line duplicated: duplicate keys, duplicate rule names
      case 3: { // two lines swapped
        List<byte[]> lines = lines(b);
        int i = random.nextInt(lines.size());
        int j = random.nextInt(lines.size());
        if (random.nextBoolean()) {
          lines.add(i, lines.get(j));
        } else {
          byte[] t = lines.get(i);
          lines.set(i, lines.get(j));
          lines.set(j, t);
        }
        return join(lines);
      }
      case 4: { // at the start of a line, where indentation and keys are
        List<byte[]> lines = lines(b);
        int i = random.nextInt(lines.size());
        lines.set(i, concat(pick().getBytes(StandardCharsets.UTF_8), lines.get(i)));
        return join(lines);
      }
      default: // anywhere
        return concat(concat(slice(b, 0, at), pick().getBytes(StandardCharsets.UTF_8)),
            slice(b, at, b.length));
    }
  }

  private String pick() {
    return INSERTS.get(random.nextInt(INSERTS.size()));
  }

  private static byte[] slice(byte[] b, int from, int to) {
    return java.util.Arrays.copyOfRange(b, from, to);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** The lines, each with its line feed (the last one may have none). */
  private static List<byte[]> lines(byte[] b) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n') {
        out.add(slice(b, start, i + 1));
        start = i + 1;
      }
    }
    out.add(slice(b, start, b.length));
    return out;
  }

  private static byte[] join(List<byte[]> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    lines.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
