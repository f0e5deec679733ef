package org.orphanreaper.act;

import org.orphanreaper.nativestub.LibcBinding;

/** kill(2), on the run's one {@link LibcBinding}. */
final class NativeKillCall implements KillCall {

  private final LibcBinding binding;

  private NativeKillCall(LibcBinding binding) {
    this.binding = binding;
  }

  /** Binds libc on first use in this JVM: only {@link Signallers} calls it, on need. */
  static NativeKillCall load() {
    return new NativeKillCall(LibcBinding.get());
  }

  @Override
  public int kill(int pid, int signal) {
    return binding.libc().kill(pid, signal) == 0 ? 0 : binding.minusErrno();
  }
}
