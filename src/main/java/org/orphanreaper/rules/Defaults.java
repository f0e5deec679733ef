package org.orphanreaper.rules;

import java.time.Duration;
import java.util.OptionalInt;
import org.orphanreaper.act.Signal;

/**
 * The file's {@code defaults}; command-line options override them.
 *
 * @param minUid empty: UID_MIN of /etc/login.defs
 */
public record Defaults(OptionalInt minUid, Signal signal, Duration killAfter) {

  public static final Defaults BUILT_IN =
      new Defaults(OptionalInt.empty(), Signal.TERM, Duration.ofSeconds(10));
}
