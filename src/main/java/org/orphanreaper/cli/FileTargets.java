package org.orphanreaper.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.orphanreaper.sink.files.NotRegularFileException;
import org.orphanreaper.sink.files.RegularFile;

/**
 * The files a run would read or replace, from its options, looked at before anything else is
 * done: one that exists and is not a regular file (a device, FIFO, directory, socket or symbolic
 * link) is a configuration error, and the run does nothing. Each reader and writer refuses such a
 * file again when it comes to it; this look only makes the refusal come first, whole, and before
 * anything is killed.
 */
final class FileTargets {
  private FileTargets() {}

  /** A file option refused, e.g. "refusing --state /dev/null: it is a character device, ...". */
  record Refusal(String option, Path path, String reason) {
    @Override
    public String toString() {
      return "refusing " + option + " " + path + ": " + reason;
    }
  }

  /**
   * @param kill kill mode, which also locks and keeps accounting; a preview reads the grace
   *     state; any run may write metrics (--explain too, when it fails)
   */
  static List<Refusal> refused(Options o, boolean kill) {
    Map<String, Path> files = new LinkedHashMap<>();
    if (kill) {
      files.put("--lock", o.lock());
      files.put("--accounting", o.accounting());
    }
    if (o.explain().isEmpty()) {
      files.put("--state", o.state());
    }
    o.metrics().ifPresent(m -> files.put("--metrics", m));
    List<Refusal> out = new ArrayList<>();
    files.forEach((option, path) -> {
      try {
        RegularFile.exists(path);
      } catch (NotRegularFileException e) {
        out.add(new Refusal(option, path, e.getReason()));
      } catch (IOException e) {
        // cannot be looked at (not root, say): whatever uses it says why, when it does
      }
    });
    return out;
  }
}
