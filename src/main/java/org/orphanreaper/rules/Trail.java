package org.orphanreaper.rules;

import java.util.List;
import java.util.Optional;

/**
 * How the rules file judged one family: each protect entry and rule that was evaluated, in
 * order, with what each matcher said, and the finding. {@code --explain} prints it; the plan
 * turns the finding into a verdict.
 */
public record Trail(List<Step> steps, Finding finding) {

  public Trail {
    steps = List.copyOf(steps);
  }

  /** One protect entry or rule and its result. */
  public record Step(String section, int index, String name, Selector.Result result) {}

  /** The outcome of evaluating the file for one family. */
  public sealed interface Finding {}

  /** A protect entry matched (or could not be ruled out): never touch the family. */
  public record Protected(Protect entry, Truth truth) implements Finding {}

  /** A rule matched: its action applies. */
  public record Matched(Rule rule) implements Finding {}

  /** A rule could not be evaluated because a fact was unreadable: keep the family, say why. */
  public record Undecided(Rule rule, String why) implements Finding {}

  /** No rule matched: the family is kept. */
  public record NoMatch() implements Finding {}

  /** The rule that decided, if one did. */
  public Optional<Rule> rule() {
    if (finding instanceof Matched m) {
      return Optional.of(m.rule());
    }
    return finding instanceof Undecided u ? Optional.of(u.rule()) : Optional.empty();
  }
}
