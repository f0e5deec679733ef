package org.orphanreaper.evidence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays captured outputs of batch-system commands, by the command's name (without its
 * directory) and first argument ("squeue --jobs=13", "scontrol listpids"), else by its name
 * alone ("squeue": every job not answered one by one). A command made to {@link #hang} takes
 * the whole time it was given, on a clock of this runner's own ({@link #nanoTime}), and then
 * fails as the live runner's does: a hung batch system without the waiting.
 */
public final class FakeRunner implements CommandRunner {
  private final Map<String, Result> answers = new HashMap<>();
  private final Set<String> hanging = new HashSet<>();
  private final AtomicLong nanos = new AtomicLong();
  public final List<String> asked = new ArrayList<>();
  /** The time limit of each call, in the order of {@link #asked}. */
  public final List<Duration> timeouts = new ArrayList<>();

  public FakeRunner answer(String command, int exit, String stdout, String stderr) {
    answers.put(command, new Result(exit, stdout, stderr));
    return this;
  }

  /** {@code command} (as {@link #answer} names it) never answers. */
  public FakeRunner hang(String command) {
    hanging.add(command);
    return this;
  }

  /** The time its calls took, as {@link System#nanoTime} counts it. */
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Result run(List<String> argv, Duration timeout) throws EvidenceUnavailable {
    String name = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
    String key = name + (argv.size() > 1 ? " " + argv.get(1) : "");
    asked.add(key);
    timeouts.add(timeout);
    if (hanging.contains(key) || hanging.contains(name)) {
      nanos.addAndGet(timeout.toNanos());
      throw new EvidenceUnavailable(CommandRunner.shown(argv) + " did not answer within "
          + timeout.toSeconds() + "s");
    }
    Result r = answers.getOrDefault(key, answers.get(name));
    if (r == null) {
      throw new EvidenceUnavailable("cannot run " + argv.get(0) + ": No such file or directory");
    }
    return r;
  }
}
