package org.orphanreaper.nativestub;

import com.kenai.jffi.Version;
import com.kenai.jffi.internal.StubLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * jffi's native stub ({@code libjffi-1.2.so}), which every native call of kill mode goes through:
 * pidfd_open and pidfd_send_signal, kill(2), and the syslog socket.
 *
 * <p>Left to itself, jffi extracts the stub from its jar on every run, into {@code
 * jffi.extract.dir} or the temp directory: a full or read-only file system there, or a noexec
 * one, leaves kill mode unable to signal. The installed launcher instead names, with {@code
 * jffi.boot.library.path}, the directory the package extracted it into once ({@link
 * StubInstaller}); a stub missing from there is reported, never extracted anew somewhere else.
 * This class tells, before anything binds native code, whether the stub can be loaded, and why
 * not, so that a run can say so instead of dying of an UnsatisfiedLinkError.
 *
 * @param dir the directory of the stub extracted at install time; empty where jffi extracts it
 *     itself at run time (a checkout, the tests)
 */
public record NativeStub(Optional<Path> dir) {

  /** jffi's property for a directory to load its stub from before it extracts one. */
  public static final String BOOT_PATH = "jffi.boot.library.path";

  /** The stub's file name: jffi's stub API version, as jffi names it ({@code libjffi-1.2.so}). */
  public static final String FILE_NAME =
      System.mapLibraryName("jffi-" + Version.MAJOR + "." + Version.MINOR);

  /** The stub this JVM was started with: {@code -Djffi.boot.library.path=DIR}, if given. */
  public static NativeStub ofThisJvm() {
    return new NativeStub(Optional.ofNullable(System.getProperty(BOOT_PATH))
        .filter(d -> !d.isEmpty()).map(Path::of));
  }

  /** The pre-extracted stub's file, where a directory is named. */
  public Optional<Path> file() {
    return dir.map(d -> d.resolve(FILE_NAME));
  }

  /**
   * Loads the stub unless it is loaded already. Empty when it is; else why not, in one line.
   *
   * <p>A pre-extracted stub is loaded here first, by this JVM's own loader: jffi, which looks in
   * the same place first, then finds it loaded. Were it missing or unloadable and jffi asked,
   * jffi would go on to extract a copy into the temp directory and load that, as root.
   */
  public Optional<String> problem() {
    Optional<Path> file = file();
    if (file.isPresent()) {
      if (!Files.isRegularFile(file.get())) {
        return Optional.of("the native stub " + file.get()
            + (Files.exists(file.get()) ? " is not a file" : " is missing"));
      }
      try {
        System.load(file.get().toAbsolutePath().toString());
      } catch (UnsatisfiedLinkError e) {
        // The JVM's message is "PATH: " and dlerror(3)'s, which names the path again.
        String said = firstLine(e.getMessage());
        String path = file.get().toAbsolutePath() + ": ";
        while (said.startsWith(path)) {
          said = said.substring(path.length());
        }
        return Optional.of("the native stub " + file.get() + " cannot be loaded: " + said);
      }
    }
    if (StubLoader.isLoaded()) {
      return Optional.empty();
    }
    return Optional.of("jffi cannot load its native stub: " + reason(StubLoader.getFailureCause()));
  }

  /**
   * jffi's failure in one line: its own message, then the root cause's (jffi wraps an extraction
   * that failed for want of space as "could not load jffi library from DIR", with a tip about
   * the temp directory in between and the errno's text at the bottom).
   */
  static String reason(Throwable t) {
    if (t == null) {
      return "no reason given";
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = firstLine(t.getMessage());
    if (root == t) {
      return top;
    }
    String bottom = firstLine(root.getMessage());
    return top.isEmpty() ? bottom : top + ": " + bottom;
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.strip().lines().findFirst().orElse("").strip();
  }
}
