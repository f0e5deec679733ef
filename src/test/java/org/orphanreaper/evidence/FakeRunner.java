package org.orphanreaper.evidence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Replays captured outputs of batch-system commands, by the command's first two words. */
public final class FakeRunner implements CommandRunner {
  private final Map<String, Result> answers = new HashMap<>();
  public final List<String> asked = new ArrayList<>();

  public FakeRunner answer(String command, int exit, String stdout, String stderr) {
    answers.put(command, new Result(exit, stdout, stderr));
    return this;
  }

  @Override
  public Result run(List<String> argv, java.time.Duration timeout) throws EvidenceUnavailable {
    String key = argv.get(0) + (argv.size() > 1 ? " " + argv.get(1) : "");
    asked.add(key);
    Result r = answers.get(key);
    if (r == null) {
      throw new EvidenceUnavailable("cannot run " + argv.get(0) + ": No such file or directory");
    }
    return r;
  }
}
