package org.orphanreaper.evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a batch system's client command with a time limit; tests replay captured outputs. */
public interface CommandRunner {

  /** What a command printed and how it ended. */
  record Result(int exit, String stdout, String stderr) {
    /** The first line of stderr, or of stdout when stderr is empty, for messages. */
    public String firstLine() {
      String t = (stderr.isBlank() ? stdout : stderr).strip();
      int nl = t.indexOf('\n');
      return nl < 0 ? t : t.substring(0, nl);
    }
  }

  /** @throws EvidenceUnavailable when it cannot be started or does not end in time */
  Result run(List<String> argv, Duration timeout) throws EvidenceUnavailable;

  /**
   * The standard output of a command that must succeed: a failing command is never an empty
   * answer ("no jobs"), it is evidence that cannot be had.
   *
   * @param system prefix of the message, e.g. "slurm"
   */
  default String output(String system, List<String> argv, Duration timeout)
      throws EvidenceUnavailable {
    Result r = run(argv, timeout);
    if (r.exit() != 0) {
      // "scontrol listpids", "qconf -sconf", "squeue": the command and its verb, if any
      String name = argv.size() > 1 && !argv.get(1).startsWith("--")
          ? argv.get(0) + " " + argv.get(1) : argv.get(0);
      throw new EvidenceUnavailable(system + ": " + name + " failed (exit " + r.exit() + "): "
          + r.firstLine());
    }
    return r.stdout();
  }

  /** The real thing: stdin closed, output captured, killed at the time limit. */
  CommandRunner LIVE = (argv, timeout) -> {
    try {
      Process p = new ProcessBuilder(argv).start();
      p.getOutputStream().close();
      // Outputs are small (a node's jobs); read them after exit would risk a full pipe, so
      // read them on the way with a bounded wait.
      var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new EvidenceUnavailable(argv.get(0) + " did not answer within "
            + timeout.toSeconds() + "s");
      }
      return new Result(p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new EvidenceUnavailable("cannot run " + argv.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EvidenceUnavailable("interrupted while running " + argv.get(0));
    }
  };

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readNBytes(16 << 20), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
