package org.orphanreaper.rules;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.orphanreaper.evidence.JobMark;
import org.orphanreaper.evidence.JobState;
import org.orphanreaper.proc.Credentials;
import org.orphanreaper.proc.Proc;
import org.orphanreaper.proc.Snapshot;
import org.orphanreaper.tree.Family;

/**
 * One condition of a rule or protect entry. Family matchers look at the family as a whole (sums,
 * the oldest member, the size); member matchers at one process, and an entry asks whether some
 * member (or, with {@code members: all}, every member) holds all of its member matchers.
 */
public sealed interface Matcher permits Matcher.OnFamily, Matcher.OnMember {

  /** The YAML key it was written under. */
  String key();

  /** The normalised value, as {@code --check} prints it. */
  Object normalised();

  /** Matchers on the family as a whole. */
  sealed interface OnFamily extends Matcher permits Measured {
    Check test(Snapshot s, Family f);
  }

  /** Matchers on one member process. */
  sealed interface OnMember extends Matcher permits Ids, Regex, Globs, States, Tty, Job {
    Truth test(Snapshot s, Proc p, Facts names);

    /** The value compared, for the decision trail. */
    String show(Snapshot s, Proc p, Facts names);
  }

  /** What one matcher said, with the values compared. */
  record Check(String key, Truth truth, String detail) {}

  /** {@code cputime} (sum), {@code walltime} (oldest member), {@code rss} (sum), {@code processes}. */
  enum Measure {
    CPUTIME("cputime", Comparison.Quantity.DURATION),
    WALLTIME("walltime", Comparison.Quantity.DURATION),
    RSS("rss", Comparison.Quantity.SIZE),
    PROCESSES("processes", Comparison.Quantity.COUNT);

    final String key;
    final Comparison.Quantity quantity;

    Measure(String key, Comparison.Quantity quantity) {
      this.key = key;
      this.quantity = quantity;
    }

    long of(Snapshot s, Family f) {
      return switch (this) {
        case CPUTIME -> f.cputime(s).getSeconds();
        case WALLTIME -> f.walltime(s).getSeconds();
        case RSS -> f.rss(s);
        case PROCESSES -> f.size();
      };
    }
  }

  record Measured(Measure measure, Comparison comparison) implements OnFamily {
    @Override
    public String key() {
      return measure.key;
    }

    @Override
    public Object normalised() {
      return comparison.op().symbol() + " " + comparison.value();
    }

    @Override
    public Check test(Snapshot s, Family f) {
      long v = measure.of(s, f);
      return new Check(key(), Truth.of(comparison.test(v)),
          key() + " " + measure.quantity.format(v) + " " + comparison);
    }
  }

  /** {@code users}/{@code uids} (real or effective uid), {@code groups}/{@code gids} (any gid). */
  record Ids(String key, boolean groups, List<IdPattern> patterns) implements OnMember {
    public Ids {
      patterns = List.copyOf(patterns);
    }

    @Override
    public Object normalised() {
      return patterns.stream().map(IdPattern::toString).toList();
    }

    @Override
    public Truth test(Snapshot s, Proc p, Facts names) {
      Optional<Credentials> c = s.get(p.pid()).flatMap(Proc::credentials);
      if (c.isEmpty()) {
        return Truth.UNKNOWN;
      }
      Truth t = Truth.NO;
      for (long id : ids(c.get())) {
        Optional<String> name = groups ? names.group().apply(id) : names.user().apply(id);
        for (IdPattern pattern : patterns) {
          t = t.or(pattern.test(id, name));
        }
      }
      return t;
    }

    /** The ids to match, unsigned 32-bit: 0 to 4294967295. */
    private Set<Long> ids(Credentials c) {
      if (!groups) {
        return new TreeSet<>(List.of(c.ruid(), c.euid()));
      }
      Set<Long> all = new TreeSet<>();
      for (int g : c.groups()) {
        all.add(Integer.toUnsignedLong(g));
      }
      all.add(Integer.toUnsignedLong(c.rgid()));
      all.add(Integer.toUnsignedLong(c.egid()));
      return all;
    }

    @Override
    public String show(Snapshot s, Proc p, Facts names) {
      Optional<Credentials> c = s.get(p.pid()).flatMap(Proc::credentials);
      if (c.isEmpty()) {
        return "credentials unreadable";
      }
      return (groups ? "gids " : "uids ") + ids(c.get()).stream()
          .map(id -> Long.toString(id)
              + (groups ? names.group() : names.user()).apply(id).map(n -> "(" + n + ")").orElse(""))
          .collect(Collectors.joining(","));
    }
  }

  /** {@code command} (regex found in comm) and {@code cmdline} (regex found in argv). */
  record Regex(String key, List<LinearRegex> patterns) implements OnMember {
    public Regex {
      patterns = List.copyOf(patterns);
    }

    @Override
    public Object normalised() {
      return patterns.stream().map(LinearRegex::text).toList();
    }

    private Optional<String> value(Snapshot s, Proc p) {
      if (key.equals("command")) {
        return Optional.of(p.comm());
      }
      // An empty argv of a live process means it could not be read (a D-state process), not "".
      return s.described(p.pid()).map(Proc::cmdline).filter(c -> !c.isEmpty());
    }

    @Override
    public Truth test(Snapshot s, Proc p, Facts names) {
      Optional<String> v = value(s, p);
      if (v.isEmpty()) {
        return Truth.UNKNOWN;
      }
      // Loops, not streams, in what runs for every member of every family: a cold JVM
      // interprets each stream pipeline's dozen calls before it compiles them.
      for (LinearRegex re : patterns) {
        if (re.find(v.get())) {
          return Truth.YES;
        }
      }
      return Truth.NO;
    }

    @Override
    public String show(Snapshot s, Proc p, Facts names) {
      return value(s, p).map(v -> "'" + v + "'").orElse("unreadable");
    }
  }

  /** {@code exe} (glob on the executable path), {@code cgroup} (glob on any cgroup path). */
  record Globs(String key, List<Glob> globs) implements OnMember {
    public Globs {
      globs = List.copyOf(globs);
    }

    @Override
    public Object normalised() {
      return globs.stream().map(Glob::text).toList();
    }

    private Optional<List<String>> values(Snapshot s, Proc p) {
      Optional<Proc> d = s.described(p.pid());
      return key.equals("exe")
          ? d.flatMap(Proc::exe).map(List::of)
          : d.flatMap(Proc::cgroups);
    }

    @Override
    public Truth test(Snapshot s, Proc p, Facts names) {
      Optional<List<String>> v = values(s, p);
      if (v.isEmpty()) {
        return Truth.UNKNOWN;
      }
      for (String x : v.get()) {
        for (Glob g : globs) {
          if (g.matches(x)) {
            return Truth.YES;
          }
        }
      }
      return Truth.NO;
    }

    @Override
    public String show(Snapshot s, Proc p, Facts names) {
      return values(s, p).map(v -> String.join(",", v)).orElse("unreadable");
    }
  }

  /** {@code state}: the one-letter process state of stat. */
  record States(Set<Character> states) implements OnMember {
    public States {
      states = Set.copyOf(states);
    }

    @Override
    public String key() {
      return "state";
    }

    @Override
    public Object normalised() {
      return states.stream().sorted().map(String::valueOf).toList();
    }

    @Override
    public Truth test(Snapshot s, Proc p, Facts names) {
      return Truth.of(states.contains(p.state()));
    }

    @Override
    public String show(Snapshot s, Proc p, Facts names) {
      return "state " + p.state();
    }
  }

  /** {@code tty}: whether the process has a controlling terminal. */
  record Tty(boolean wanted) implements OnMember {
    @Override
    public String key() {
      return "tty";
    }

    @Override
    public Object normalised() {
      return wanted;
    }

    @Override
    public Truth test(Snapshot s, Proc p, Facts names) {
      return Truth.of(p.hasTty() == wanted);
    }

    @Override
    public String show(Snapshot s, Proc p, Facts names) {
      return p.hasTty() ? "has a tty" : "no tty";
    }
  }

  /**
   * {@code job}: what the batch systems say about the member: {@code running} (it belongs to a
   * running job), {@code ended} (it carries the mark of a job that is over), {@code none}.
   */
  record Job(Set<String> states) implements OnMember {
    public Job {
      states = Set.copyOf(states);
    }

    @Override
    public String key() {
      return "job";
    }

    @Override
    public Object normalised() {
      return states.stream().sorted().toList();
    }

    private static String state(Proc p, Facts facts) {
      return facts.evidence().stateOf(p.pid()).map(JobState::word).orElse("none");
    }

    /** A state the batch system could not give is a value that could not be read. */
    @Override
    public Truth test(Snapshot s, Proc p, Facts names) {
      String state = state(p, names);
      return state.equals(JobState.UNKNOWN.word()) ? Truth.UNKNOWN
          : Truth.of(states.contains(state));
    }

    @Override
    public String show(Snapshot s, Proc p, Facts names) {
      List<JobMark> marks = names.evidence().of(p.pid());
      return marks.isEmpty() ? "no job" : marks.toString();
    }
  }
}
