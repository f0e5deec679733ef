package org.orphanreaper.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
   * @param trusted whether the file must be safe to obey as root (it, every directory on the way
   *     to it and every link followed there owned by root and writable by nobody else: {@link
   *     #trust})
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
      return RulesParser.parse(name, utf8(name, Files.readAllBytes(path)));
    } catch (NoSuchFileException e) {
      throw new RulesException(new Problem(name, 0, 0, "no such file"));
    } catch (IOException e) {
      throw new RulesException(new Problem(name, 0, 0, "cannot read: " + e.getMessage()));
    }
  }

  /** The text of {@code bytes}, or where they stop being UTF-8. */
  private static String utf8(String name, byte[] bytes) throws RulesException {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult r = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(in, out, true);
    if (r.isError()) {
      out.flip();
      Place at = Place.of(out, Integer.MAX_VALUE);
      throw new RulesException(new Problem(name, at.line(), at.column(),
          String.format("not UTF-8 text: byte 0x%02x", bytes[in.position()] & 0xff)));
    }
    return out.flip().toString();
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

  /** As many symbolic links as the kernel follows in one path (MAXSYMLINKS). */
  private static final int MAX_LINKS = 40;

  private static final String WHY = "; whoever can write the rules decides what root kills";

  /**
   * Whoever can write the rules decides what root kills, and so does whoever can replace any
   * directory or link on the way to them. The path is resolved one component at a time, as the
   * kernel does (like sudo and OpenSSH's StrictModes): every directory passed through, from / down,
   * on every hop of a chain of symbolic links, must be owned by root and be neither group- nor
   * world-writable (so no sticky /tmp either), and so must the file reached. One problem a path,
   * each naming the path that failed and, past a link, the link that led there.
   */
  static List<Problem> trust(Path path) {
    List<Problem> out = new ArrayList<>();
    String name = path.toString();
    try {
      Deque<String> todo = new ArrayDeque<>();
      push(todo, path.toAbsolutePath());
      Path at = path.getFileSystem().getPath("/");
      String via = "";
      Set<Path> checked = new HashSet<>();
      check(name, at, "directory", via, checked, out);
      int links = 0;
      while (!todo.isEmpty()) {
        String c = todo.pop();
        if (c.isEmpty() || c.equals(".")) {
          continue;
        }
        if (c.equals("..")) {
          at = at.getParent() == null ? at : at.getParent(); // at has no links: lexical is right
          continue;
        }
        Path next = at.resolve(c);
        if (Files.isSymbolicLink(next)) {
          if (++links > MAX_LINKS) {
            out.add(new Problem(name, 0, 0, "refusing rules: more than " + MAX_LINKS
                + " symbolic links on the way to it"));
            return out;
          }
          // The link itself can only be replaced through its directory, checked already.
          Path target = Files.readSymbolicLink(next);
          via = " (reached through link " + next + " -> " + target + ")";
          push(todo, target);
          if (target.isAbsolute()) {
            at = at.getRoot();
          }
          continue;
        }
        at = next;
        check(name, at, todo.isEmpty() ? "file" : "directory", via, checked, out);
      }
    } catch (NoSuchFileException e) {
      out.add(new Problem(name, 0, 0, "no such file"
          + (e.getFile() == null || e.getFile().equals(name) ? "" : " (" + e.getFile() + ")")));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      out.add(new Problem(name, 0, 0, "cannot check who may write it: " + e.getMessage()));
    }
    return out;
  }

  /** Puts the components of {@code p} in front of those still to resolve. */
  private static void push(Deque<String> todo, Path p) {
    for (int i = p.getNameCount() - 1; i >= 0; i--) {
      todo.push(p.getName(i).toString());
    }
  }

  private static void check(String name, Path p, String what, String via, Set<Path> checked,
      List<Problem> out) throws IOException {
    if (!checked.add(p)) {
      return;
    }
    int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    String which = "refusing rules: " + what + " " + p + via;
    if (uid != 0) {
      out.add(new Problem(name, 0, 0,
          which + " is owned by uid " + Integer.toUnsignedString(uid) + ", not root" + WHY));
    } else if ((mode & 0022) != 0) {
      out.add(new Problem(name, 0, 0, String.format("%s is %s-writable (mode %04o%s)%s", which,
          (mode & 0002) != 0 ? "world" : "group", mode & 07777,
          (mode & 01000) != 0 ? ", sticky" : "", WHY)));
    }
  }
}
