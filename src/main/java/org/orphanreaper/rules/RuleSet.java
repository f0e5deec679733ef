package org.orphanreaper.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated rules file: defaults, protect entries, ordered rules, and the executables that
 * anchor legitimate lineages or count as init.
 *
 * @param source where it came from (a path, or the built-in defaults), for messages
 * @param anchors executables whose root-owned processes vouch for their descendants (lineage)
 * @param subreapers executables whose processes count as init for the orphan test
 * @param slurmBin the directory Slurm's commands are run from, when the file names one
 */
public record RuleSet(String source, Defaults defaults, List<Protect> protect, List<Rule> rules,
    List<String> anchors, List<String> subreapers, Optional<String> slurmBin) {

  public RuleSet {
    protect = List.copyOf(protect);
    rules = List.copyOf(rules);
    anchors = List.copyOf(anchors);
    subreapers = List.copyOf(subreapers);
  }

  /** Whether some matcher names groups, so that group names must be looked up. */
  public boolean usesGroupNames() {
    return java.util.stream.Stream.concat(protect.stream().map(Protect::selector),
            rules.stream().map(Rule::selector))
        .flatMap(s -> s.matchers().stream())
        .anyMatch(m -> m instanceof Matcher.Ids ids && ids.groups()
            && ids.patterns().stream().anyMatch(p -> p instanceof IdPattern.Name));
  }

  /** Whether a protect entry or rule matches on cgroups, which are then read for candidates. */
  public boolean usesCgroups() {
    return java.util.stream.Stream.concat(protect.stream().map(Protect::selector),
            rules.stream().map(Rule::selector))
        .flatMap(s -> s.matchers().stream())
        .anyMatch(m -> m instanceof Matcher.Globs g && g.key().equals("cgroup"));
  }

  /** The policy with every value normalised (durations in seconds, sizes in bytes), for --check. */
  public Map<String, Object> normalised() {
    Map<String, Object> top = new LinkedHashMap<>();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("min_uid", defaults.minUid().isPresent() ? defaults.minUid().getAsLong()
        : "UID_MIN of /etc/login.defs");
    d.put("signal", defaults.signal().name());
    d.put("kill_after", defaults.killAfter().getSeconds());
    d.put("scope", defaults.scope().word());
    d.put("max_kills_per_run", defaults.maxKillsPerRun());
    d.put("max_fraction", defaults.maxFraction());
    d.put("grace", defaults.grace().getSeconds());
    top.put("defaults", d);
    top.put("anchors", anchors);
    top.put("subreapers", subreapers);
    slurmBin.ifPresent(bin -> top.put("slurm", Map.of("bin", bin)));
    List<Object> ps = new ArrayList<>();
    for (Protect p : protect) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", p.name());
      m.put("match", selector(p.selector()));
      ps.add(m);
    }
    top.put("protect", ps);
    List<Object> rs = new ArrayList<>();
    for (Rule r : rules) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("match", selector(r.selector()));
      m.put("action", r.action().word());
      if (r.action() == Rule.Action.KILL) {
        m.put("signal", r.signal().orElse(defaults.signal()).name());
        m.put("kill_after", r.killAfter().orElse(defaults.killAfter()).getSeconds());
        m.put("grace", r.immediate() ? 0 : r.grace().orElse(defaults.grace()).getSeconds());
      }
      rs.add(m);
    }
    top.put("rules", rs);
    return top;
  }

  private static Map<String, Object> selector(Selector s) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (Matcher x : s.matchers()) {
      m.put(x.key(), x.normalised());
    }
    m.put("members", s.allMembers() ? "all" : "any");
    return m;
  }
}
