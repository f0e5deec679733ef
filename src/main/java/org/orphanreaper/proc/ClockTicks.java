package org.orphanreaper.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * USER_HZ, the unit of the times in /proc/PID/stat, taken from the kernel's auxiliary vector
 * (AT_CLKTCK) so that no native library has to be loaded for sysconf(_SC_CLK_TCK).
 */
enum ClockTicks {
  INSTANCE;

  private static final long AT_NULL = 0;
  private static final long AT_CLKTCK = 17;
  /** What the kernel exports on every mainstream architecture, if auxv cannot be read. */
  private static final int FALLBACK = 100;

  private final int perSecond = read();

  int perSecond() {
    return perSecond;
  }

  private static int read() {
    try {
      // Reads the JVM's own auxv: the clock rate is the kernel's, whatever procfs is scanned.
      byte[] auxv = Files.readAllBytes(Path.of("/proc/self/auxv"));
      return fromAuxv(auxv, ByteOrder.nativeOrder());
    } catch (IOException | RuntimeException e) {
      return FALLBACK;
    }
  }

  static int fromAuxv(byte[] auxv, ByteOrder order) {
    ByteBuffer b = ByteBuffer.wrap(auxv).order(order);
    while (b.remaining() >= 16) {
      long type = b.getLong();
      long value = b.getLong();
      if (type == AT_NULL) {
        break;
      }
      if (type == AT_CLKTCK && value > 0 && value < 100_000) {
        return (int) value;
      }
    }
    return FALLBACK;
  }
}
