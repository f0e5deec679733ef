package org.orphanreaper.act;

import java.nio.file.Path;
import org.orphanreaper.base.ProcId;
import org.orphanreaper.base.Signal;
import org.orphanreaper.proc.ProcStatStartTicks;

/**
 * Run by {@link DeniedLiveTest} in a child JVM as an unprivileged user: signals one process and
 * prints the outcome.
 */
public final class SignalAsAnotherUser {

  private SignalAsAnotherUser() {}

  /** Arguments: {@code pidfd|kill pid startTicks SIGNAL}. */
  public static void main(String[] args) {
    ProcStatStartTicks startTicks = new ProcStatStartTicks(Path.of("/proc"));
    Signaller signaller =
        args[0].equals("pidfd")
            ? new PidfdSignaller(
                NativePidfdCalls.load(PidfdSyscalls.ofThisJvm().orElseThrow()), startTicks)
            : new KillSignaller(NativeKillCall.load(), startTicks);
    ProcId target = new ProcId(Integer.parseInt(args[1]), Long.parseLong(args[2]));
    System.out.println(signaller.send(target, Signal.valueOf(args[3])));
  }
}
