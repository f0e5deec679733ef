package org.orphanreaper.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** One run of the whole command line on a fixture: its exit code and what it printed. */
record CliRun(int code, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** {@code dir}/rules.yaml holding {@code yaml}, writable by its owner alone, as root obeys. */
  static Path rulesFile(Path dir, String yaml) throws IOException {
    Path p = dir.resolve("rules.yaml");
    Files.writeString(p, yaml);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    return p;
  }
}
