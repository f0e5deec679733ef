package org.orphanreaper.report;

import org.orphanreaper.rules.RuleSet;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** The normalised policy as YAML, for {@code --check}: what the reaper will actually obey. */
public final class PolicyYaml {
  private PolicyYaml() {}

  public static String render(RuleSet rules) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndent(2);
    o.setIndicatorIndent(2);
    o.setIndentWithIndicator(true);
    o.setWidth(100);
    return new Yaml(o).dump(rules.normalised());
  }
}
