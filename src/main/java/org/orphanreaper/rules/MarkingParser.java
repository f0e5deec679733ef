package org.orphanreaper.rules;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.Parser;

/**
 * The YAML parser as the composer sees it, remembering the last event shown to it. SnakeYAML
 * enforces the alias and nesting limits with a YAMLException that has no mark; the event the
 * composer was looking at when it threw (the alias over the limit, the node too deep) is where
 * the problem is.
 */
final class MarkingParser implements Parser {

  private final Parser parser;
  private Mark last;

  MarkingParser(Parser parser) {
    this.parser = parser;
  }

  /** Where the last event seen starts; null before the first. */
  Mark lastMark() {
    return last;
  }

  @Override
  public boolean checkEvent(Event.ID choice) {
    return parser.checkEvent(choice);
  }

  @Override
  public Event peekEvent() {
    return seen(parser.peekEvent());
  }

  @Override
  public Event getEvent() {
    return seen(parser.getEvent());
  }

  private Event seen(Event e) {
    if (e != null) {
      last = e.getStartMark();
    }
    return e;
  }
}
