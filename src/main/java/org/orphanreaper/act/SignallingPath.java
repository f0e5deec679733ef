package org.orphanreaper.act;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How kill mode will signal on this node, told without any native call: from {@code os.arch} (is
 * there a checked syscall table, {@link PidfdSyscalls}) and the kernel release (pidfd_open is in
 * Linux 5.3 and later). It is what {@code --version} and {@code --debug} say; kill mode still
 * probes pidfd_open on its own pid before it signals (a seccomp filter or a backport can change the
 * answer) and reports the mechanism it really used with each family.
 */
public record SignallingPath(boolean pidfd, String description) {

  /** {@code /proc/sys/kernel/osrelease}: the running kernel's release, e.g. "5.14.0-427.el9". */
  public static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");

  private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d{1,6})\\.(\\d{1,6})");

  /** The path on this node: this JVM's os.arch and the running kernel's release. */
  public static SignallingPath ofThisNode() {
    Optional<String> release;
    try {
      release = Optional.of(
          new String(Files.readAllBytes(OSRELEASE), StandardCharsets.US_ASCII).trim());
    } catch (IOException | RuntimeException e) {
      release = Optional.empty();
    }
    return predict(System.getProperty("os.arch"), release);
  }

  /**
   * @param osArch the JVM's {@code os.arch}
   * @param kernelRelease the kernel's release string, empty when it could not be read
   */
  public static SignallingPath predict(String osArch, Optional<String> kernelRelease) {
    Optional<PidfdSyscalls> numbers = PidfdSyscalls.forArch(osArch);
    if (numbers.isEmpty()) {
      return new SignallingPath(false, "kill(2) (no pidfd: no checked syscall table for os.arch "
          + osArch + ")");
    }
    PidfdSyscalls n = numbers.get();
    String calls = "pidfd_open syscall " + n.pidfdOpen() + ", pidfd_send_signal syscall "
        + n.pidfdSendSignal() + ", " + n.arch();
    if (kernelRelease.isEmpty() || kernelRelease.get().isEmpty()) {
      return new SignallingPath(true, "pidfd (" + calls
          + "; kernel release unknown, probed before signalling)");
    }
    String release = kernelRelease.get();
    Matcher m = MAJOR_MINOR.matcher(release);
    if (!m.find()) {
      return new SignallingPath(true, "pidfd (" + calls + "; kernel release '" + release
          + "' unparsed, probed before signalling)");
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    if (major < 5 || (major == 5 && minor < 3)) {
      return new SignallingPath(false, "kill(2) (no pidfd: kernel " + release
          + " is older than 5.3; pidfd_open is still probed before signalling)");
    }
    return new SignallingPath(true, "pidfd (" + calls + "; kernel " + release + " >= 5.3)");
  }

  /** What the mechanism will be called in reports: "pidfd" or "kill". */
  public String mechanism() {
    return pidfd ? "pidfd" : "kill";
  }

  @Override
  public String toString() {
    return description;
  }
}
