package org.orphanreaper.evidence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays captured outputs of batch-system commands, by the command's name (without its
 * directory) and first argument ("squeue --jobs=13", "scontrol listpids"), else by its name
 * alone ("squeue": every job not answered one by one).
 */
public final class FakeRunner implements CommandRunner {
  private final Map<String, Result> answers = new HashMap<>();
  public final List<String> asked = new ArrayList<>();

  public FakeRunner answer(String command, int exit, String stdout, String stderr) {
    answers.put(command, new Result(exit, stdout, stderr));
    return this;
  }

  @Override
  public Result run(List<String> argv, java.time.Duration timeout) throws EvidenceUnavailable {
    String name = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
    String key = name + (argv.size() > 1 ? " " + argv.get(1) : "");
    asked.add(key);
    Result r = answers.getOrDefault(key, answers.get(name));
    if (r == null) {
      throw new EvidenceUnavailable("cannot run " + argv.get(0) + ": No such file or directory");
    }
    return r;
  }
}
