package org.orphanreaper.nativestub;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;

/**
 * The one binding of {@link Libc} in this JVM, made the first time something needs a native call
 * (~160-350 ms in a fresh JVM: a run that signals nothing and logs to no socket never pays for
 * it) and shared by every caller after: the journal's recovery and the kills, the syslog socket.
 * Binding it again would generate another class, which the class-data archive cannot hold.
 *
 * <p>When libc cannot be bound (jffi's stub missing or unloadable), the first call throws the
 * {@link LinkageError} ({@link ExceptionInInitializerError}) and every later one a {@link
 * NoClassDefFoundError}: callers take any LinkageError as "no native calls here".
 */
public final class LibcBinding {

  private final Libc libc;
  private final Runtime runtime;

  private LibcBinding(Libc libc) {
    this.libc = libc;
    this.runtime = Runtime.getRuntime(libc);
  }

  /** The binding of this JVM; made on first use. */
  public static LibcBinding get() {
    return Holder.BINDING;
  }

  public Libc libc() {
    return libc;
  }

  /**
   * The errno of the last call on this thread, saved right after it (SaveError): read it on the
   * same thread before any other native call.
   */
  public int errno() {
    return LastError.getLastError(runtime);
  }

  /** -errno of a failed call, or Integer.MIN_VALUE for a failure without errno. */
  public int minusErrno() {
    int errno = errno();
    return errno > 0 ? -errno : Integer.MIN_VALUE;
  }

  /** Bound by the JVM on first use of {@link #get}, once: lazy, and without a lock of ours. */
  private static final class Holder {
    static final LibcBinding BINDING = new LibcBinding(LibraryLoader.create(Libc.class)
        .option(LibraryOption.SaveError, Boolean.TRUE)
        .load(Platform.getNativePlatform().getStandardCLibraryName()));
  }
}
