package org.orphanreaper.sink.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.orphanreaper.base.IoProblem;
import org.orphanreaper.sink.files.AtomicReplacement;

/**
 * Writes the metrics file so that node_exporter never reads half of it: replaced in one rename
 * ({@link AtomicReplacement}), whose temporary file starts with a dot and does not end in
 * ".prom", so the textfile collector ignores it even while it exists. Only a regular file is
 * replaced: {@code --metrics /dev/null} as root replaced the node's /dev/null.
 */
public final class MetricsFile {
  private MetricsFile() {}

  /**
   * Replaces {@code file} with {@code text}, readable by all (node_exporter does not run as root).
   * The directory must exist. The exception's message is one line.
   */
  public static void write(Path file, String text) throws IOException {
    Path target = file.toAbsolutePath();
    try {
      AtomicReplacement.replace(target, text.getBytes(StandardCharsets.UTF_8),
          PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new IOException("metrics: cannot write " + target + ": " + IoProblem.describe(e), e);
    }
  }
}
