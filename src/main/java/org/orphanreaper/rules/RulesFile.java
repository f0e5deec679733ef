package org.orphanreaper.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds, checks and reads the rules file: the one given with {@code --rules}, else
 * /etc/orphan-reaper/rules.yaml, else the built-in defaults (the repository's
 * rules/default.yaml, packaged in the jar).
 */
public final class RulesFile {
  private RulesFile() {}

  public static final Path SYSTEM = Path.of("/etc/orphan-reaper/rules.yaml");
  public static final String BUILT_IN = "built-in defaults";
  private static final String RESOURCE = "/org/orphanreaper/rules/default.yaml";

  /**
   * Loads the rules that apply.
   *
   * @param given the {@code --rules} file, if one was given: it must exist
   * @param system where the site's file lives when none is given
   * @param trusted whether the file must be safe to obey as root (owned by root, writable by
   *     nobody else, nor is its directory)
   */
  public static RuleSet load(Optional<Path> given, Path system, boolean trusted)
      throws RulesException {
    Path path = given.orElse(system);
    if (given.isEmpty() && !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return builtIn();
    }
    String name = path.toString();
    if (trusted) {
      List<Problem> unsafe = trust(path);
      if (!unsafe.isEmpty()) {
        throw new RulesException(unsafe);
      }
    }
    try {
      if (!Files.exists(path)) {
        throw new RulesException(new Problem(name, 0, 0, "no such file"));
      }
      if (!Files.isRegularFile(path)) {
        throw new RulesException(new Problem(name, 0, 0, "not a regular file"));
      }
      if (Files.size(path) > RulesParser.MAX_CHARS) {
        throw new RulesException(new Problem(name, 0, 0,
            "larger than " + RulesParser.MAX_CHARS / 1024 + " KiB; is this a rules file?"));
      }
      return RulesParser.parse(name, Files.readString(path, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new RulesException(new Problem(name, 0, 0, "no such file"));
    } catch (CharacterCodingException e) {
      throw new RulesException(new Problem(name, 0, 0, "not UTF-8 text"));
    } catch (IOException e) {
      throw new RulesException(new Problem(name, 0, 0, "cannot read: " + e.getMessage()));
    }
  }

  /** The built-in defaults; they are tested, so a failure here is a broken build. */
  public static RuleSet builtIn() throws RulesException {
    try (InputStream in = RulesFile.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new RulesException(new Problem(BUILT_IN, 0, 0, "missing from the jar"));
      }
      return RulesParser.parse(BUILT_IN, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RulesException(new Problem(BUILT_IN, 0, 0, "cannot read: " + e.getMessage()));
    }
  }

  /**
   * Whoever can write the rules decides what root kills: the file, its real directory and the
   * directory of the name it was given by must be root's and writable by nobody else.
   */
  static List<Problem> trust(Path path) {
    List<Problem> out = new ArrayList<>();
    String name = path.toString();
    try {
      Path real = path.toRealPath();
      check(name, real, "the file", out);
      check(name, real.getParent(), "its directory " + real.getParent(), out);
      Path named = path.toAbsolutePath().getParent();
      if (named != null && !named.toRealPath().equals(real.getParent())) {
        check(name, named.toRealPath(), "the directory of its link " + named, out);
      }
    } catch (NoSuchFileException e) {
      out.add(new Problem(name, 0, 0, "no such file"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      out.add(new Problem(name, 0, 0, "cannot check who may write it: " + e.getMessage()));
    }
    return out;
  }

  private static void check(String name, Path p, String what, List<Problem> out)
      throws IOException {
    int uid = (Integer) Files.getAttribute(p, "unix:uid");
    int mode = (Integer) Files.getAttribute(p, "unix:mode");
    String why = "; whoever can write the rules decides what root kills";
    if (uid != 0) {
      out.add(new Problem(name, 0, 0,
          "refusing rules: " + what + " is owned by uid " + uid + ", not root" + why));
    } else if ((mode & 0022) != 0) {
      out.add(new Problem(name, 0, 0, String.format(
          "refusing rules: %s is writable by %s (mode %04o)%s", what,
          (mode & 0020) != 0 ? "its group" : "others", mode & 07777, why)));
    }
  }
}
