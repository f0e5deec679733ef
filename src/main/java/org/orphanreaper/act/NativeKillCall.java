package org.orphanreaper.act;

import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/** kill(2) through jnr-posix. */
final class NativeKillCall implements KillCall {

  private final POSIX posix;

  private NativeKillCall(POSIX posix) {
    this.posix = posix;
  }

  /** Loads jnr-posix (~350 ms in a fresh JVM): only {@link Signallers} calls it, on need. */
  static NativeKillCall load() {
    return new NativeKillCall(POSIXFactory.getNativePOSIX());
  }

  @Override
  public int kill(int pid, int signal) {
    if (posix.kill(pid, signal) == 0) {
      return 0;
    }
    // jnr-posix reads the errno jnr-ffi saved for this thread right after the call.
    int errno = posix.errno();
    return errno > 0 ? -errno : Integer.MIN_VALUE;
  }
}
