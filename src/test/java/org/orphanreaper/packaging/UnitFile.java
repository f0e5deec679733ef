package org.orphanreaper.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A systemd unit file as sections of settings, each setting with every value it was given in order
 * (systemd lets some settings repeat). Only the syntax the shipped units use: no line
 * continuations, no drop-ins.
 */
record UnitFile(Map<String, Map<String, List<String>>> sections) {

  static UnitFile read(Path file) throws IOException {
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    Map<String, List<String>> current = null;
    int n = 0;
    for (String raw : Files.readAllLines(file)) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.endsWith("\\")) {
        throw new IllegalArgumentException(file + ":" + n + ": line continuations not parsed");
      }
      if (line.startsWith("[") && line.endsWith("]")) {
        current =
            sections.computeIfAbsent(
                line.substring(1, line.length() - 1), s -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      if (current == null || eq < 1) {
        throw new IllegalArgumentException(file + ":" + n + ": not 'Key=Value' in a section");
      }
      current
          .computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
          .add(line.substring(eq + 1).strip());
    }
    return new UnitFile(sections);
  }

  /** The settings of one section (empty when there is no such section). */
  Map<String, List<String>> section(String name) {
    return sections.getOrDefault(name, Map.of());
  }

  /** The last value of a setting (the one systemd uses for single-valued settings), or null. */
  String get(String section, String key) {
    List<String> values = section(section).get(key);
    return values == null ? null : values.get(values.size() - 1);
  }
}
