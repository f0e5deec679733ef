package org.orphanreaper.rules;

import java.util.Optional;
import java.util.function.IntFunction;
import org.orphanreaper.evidence.Evidence;

/**
 * What matchers may consult beyond the snapshot: account names for {@code users}/{@code groups}
 * (empty when an id has no name, which makes a name pattern UNKNOWN) and the batch systems'
 * evidence for {@code job}.
 */
public record Facts(
    IntFunction<Optional<String>> user, IntFunction<Optional<String>> group, Evidence evidence) {

  public Facts(IntFunction<Optional<String>> user, IntFunction<Optional<String>> group) {
    this(user, group, Evidence.NONE);
  }

  /** No names and no evidence: name patterns are UNKNOWN, numeric ones still decide. */
  public static final Facts NONE = new Facts(u -> Optional.empty(), g -> Optional.empty());
}
