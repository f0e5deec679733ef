package org.orphanreaper.rules;

import java.util.ArrayList;
import java.util.List;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;

/**
 * Evaluates a rule set against one family: protect entries first (any match, or any entry that
 * cannot be ruled out, protects), then the rules in order, first match wins. A rule that cannot be
 * evaluated stops the evaluation: a later, broader rule must not decide in its place.
 */
public record Evaluator(RuleSet rules, Facts names) {

  public Trail evaluate(Snapshot s, Family f) {
    List<Trail.Step> steps = new ArrayList<>();
    int i = 0;
    for (Protect p : rules.protect()) {
      Selector.Result r = p.selector().test(s, f, names);
      steps.add(new Trail.Step("protect", ++i, p.name(), r));
      if (r.truth() != Truth.NO) {
        return new Trail(steps, new Trail.Protected(p, r.truth()));
      }
    }
    i = 0;
    for (Rule rule : rules.rules()) {
      Selector.Result r = rule.selector().test(s, f, names);
      steps.add(new Trail.Step("rules", ++i, rule.name(), r));
      if (r.truth() == Truth.YES) {
        return new Trail(steps, new Trail.Matched(rule));
      }
      if (r.truth() == Truth.UNKNOWN) {
        String why = r.checks().stream().filter(c -> c.truth() == Truth.UNKNOWN)
            .map(Matcher.Check::detail).findFirst().orElse("a value could not be read");
        return new Trail(steps, new Trail.Undecided(rule, why));
      }
    }
    return new Trail(steps, new Trail.NoMatch());
  }
}
