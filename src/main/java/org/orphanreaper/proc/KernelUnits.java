package org.orphanreaper.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The units of /proc/PID/stat: USER_HZ for its times (AT_CLKTCK) and the page size for its rss
 * (AT_PAGESZ), taken from the kernel's auxiliary vector so that no native library has to be loaded
 * for sysconf(3).
 */
enum KernelUnits {
  INSTANCE;

  private static final long AT_NULL = 0;
  static final long AT_PAGESZ = 6;
  static final long AT_CLKTCK = 17;
  /** What the kernel exports on every mainstream architecture, if auxv cannot be read. */
  private static final int FALLBACK_HZ = 100;
  private static final int FALLBACK_PAGE = 4096;

  private final byte[] auxv = read();
  private final int perSecond =
      (int) fromAuxv(auxv, ByteOrder.nativeOrder(), AT_CLKTCK, 100_000, FALLBACK_HZ);
  private final int pageSize =
      (int) fromAuxv(auxv, ByteOrder.nativeOrder(), AT_PAGESZ, 1 << 30, FALLBACK_PAGE);

  int perSecond() {
    return perSecond;
  }

  int pageSize() {
    return pageSize;
  }

  private static byte[] read() {
    try {
      // The JVM's own auxv: the units are the kernel's, whatever procfs is scanned.
      return Files.readAllBytes(Path.of("/proc/self/auxv"));
    } catch (IOException | RuntimeException e) {
      return new byte[0];
    }
  }

  /** The value of auxv entry {@code type} when it is in (0, max), else {@code fallback}. */
  static long fromAuxv(byte[] auxv, ByteOrder order, long type, long max, long fallback) {
    ByteBuffer b = ByteBuffer.wrap(auxv).order(order);
    while (b.remaining() >= 16) {
      long t = b.getLong();
      long value = b.getLong();
      if (t == AT_NULL) {
        break;
      }
      if (t == type && value > 0 && value < max) {
        return value;
      }
    }
    return fallback;
  }
}
