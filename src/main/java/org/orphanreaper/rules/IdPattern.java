package org.orphanreaper.rules;

import java.util.Optional;

/** One item of a {@code users}/{@code uids}/{@code groups}/{@code gids} list. */
public sealed interface IdPattern {

  /** Does {@code id} (whose name is {@code name}, if it has one) match? */
  Truth test(long id, Optional<String> name);

  /** An inclusive range of numeric ids; a single id is a range of one. */
  record Range(long from, long to) implements IdPattern {
    @Override
    public Truth test(long id, Optional<String> name) {
      return Truth.of(id >= from && id <= to);
    }

    @Override
    public String toString() {
      return from == to ? Long.toString(from) : from + "-" + to;
    }
  }

  /** A name or a glob over names ({@code cms*}). */
  record Name(Glob glob) implements IdPattern {
    @Override
    public Truth test(long id, Optional<String> name) {
      return name.map(n -> Truth.of(glob.matches(n))).orElse(Truth.UNKNOWN);
    }

    @Override
    public String toString() {
      return glob.text();
    }
  }

  /** {@code 5000}, {@code 5000-5999}, or (when names are allowed) a name glob. */
  static IdPattern parse(String text, boolean namesAllowed) {
    String t = text.trim();
    if (t.matches("\\d{1,10}")) {
      long v = Long.parseLong(t);
      return range(v, v, text);
    }
    if (t.matches("\\d{1,10}\\s*-\\s*\\d{1,10}")) {
      String[] p = t.split("-");
      return range(Long.parseLong(p[0].trim()), Long.parseLong(p[1].trim()), text);
    }
    if (!namesAllowed) {
      throw new IllegalArgumentException("'" + text + "' is not an id or a range such as"
          + " 5000-5999 (names go under users/groups)");
    }
    if (t.isEmpty() || !t.matches("[A-Za-z0-9_.*?\\[\\]!$-]+")) {
      throw new IllegalArgumentException("'" + text + "' is not a name, glob, id or range");
    }
    return new Name(Glob.of(t));
  }

  private static Range range(long from, long to, String text) {
    if (from > to || to > 0xFFFFFFFEL) {
      throw new IllegalArgumentException("'" + text + "' is not a valid id range");
    }
    return new Range(from, to);
  }
}
