package org.orphanreaper.rules;

import java.util.List;

/** A rules file that was rejected whole, with every problem found in it. */
public final class RulesException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public RulesException(List<Problem> problems) {
    super(problems.isEmpty() ? "invalid rules" : problems.get(0).toString());
    this.problems = List.copyOf(problems);
  }

  public RulesException(Problem problem) {
    this(List.of(problem));
  }

  public List<Problem> problems() {
    return problems;
  }
}
