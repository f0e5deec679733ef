package org.orphanreaper.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fixture node {@link CdsTraining} previews: a small /proc tree, kept as a resource of the
 * jar ({@value #RESOURCE}) and written out into a private directory. One entry a line, fields
 * separated by tabs: {@code file PATH TEXT}, {@code link PATH TARGET} or {@code owner PATH UID},
 * with backslash, tab, newline and NUL in TEXT escaped as {@code \\ \t \n \0}. The tests make the
 * resource from their fixture writer and check that it is still what that writer makes.
 */
final class TrainingNode {
  private TrainingNode() {}

  static final String RESOURCE = "training-node.txt";

  /** Writes the node below {@code root}; returns {@code root}. */
  static Path writeTo(Path root) throws IOException {
    try (InputStream in = TrainingNode.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("no " + RESOURCE + " in the jar");
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String[] f = line.split("\t", 3);
        Path p = root.resolve(f[1]);
        Files.createDirectories(p.getParent());
        switch (f[0]) {
          case "file" -> Files.writeString(p, unescape(f[2]), StandardCharsets.UTF_8);
          case "link" -> Files.createSymbolicLink(p, Path.of(f[2]));
          case "owner" -> own(p, Integer.parseInt(f[2]));
          default -> throw new IOException(RESOURCE + ": unknown entry " + f[0]);
        }
      }
    }
    return root;
  }

  /**
   * The kernel makes a process's directory its effective uid's, which the reaper reads for the
   * processes whose status it does not read; only root can copy that.
   */
  private static void own(Path dir, int uid) {
    try {
      Files.setAttribute(dir, "unix:uid", uid);
    } catch (IOException | UnsupportedOperationException e) {
      // not root: the directory stays ours
    }
  }

  static String unescape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 == text.length()) {
        out.append(c);
        continue;
      }
      char n = text.charAt(++i);
      out.append(switch (n) {
        case 't' -> '\t';
        case 'n' -> '\n';
        case '0' -> '\0';
        default -> n;
      });
    }
    return out.toString();
  }
}
