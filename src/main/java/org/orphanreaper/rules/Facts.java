package org.orphanreaper.rules;

import java.util.Optional;
import java.util.function.LongFunction;
import org.orphanreaper.evidence.Evidence;

/**
 * What matchers may consult beyond the snapshot: account names for {@code users}/{@code groups}
 * (empty when an id has no name, which makes a name pattern UNKNOWN) and the batch systems'
 * evidence for {@code job}. Ids are unsigned 32-bit, 0 to 4294967295.
 */
public record Facts(
    LongFunction<Optional<String>> user, LongFunction<Optional<String>> group, Evidence evidence) {

  public Facts(LongFunction<Optional<String>> user, LongFunction<Optional<String>> group) {
    this(user, group, Evidence.NONE);
  }

  /** No names and no evidence: name patterns are UNKNOWN, numeric ones still decide. */
  public static final Facts NONE = new Facts(u -> Optional.empty(), g -> Optional.empty());
}
