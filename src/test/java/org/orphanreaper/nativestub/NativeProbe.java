package org.orphanreaper.nativestub;

import java.nio.file.Path;
import org.orphanreaper.act.Signaller;
import org.orphanreaper.act.Signallers;

/**
 * A main the tests run in a fresh JVM with jffi's properties of their choosing: prints what
 * {@link NativeStub} says of this JVM's stub, then the signalling mechanism it binds.
 */
public final class NativeProbe {

  private NativeProbe() {}

  public static void main(String[] args) {
    System.out.println(NativeStub.ofThisJvm().problem().orElse("loaded"));
    try (Signaller s = Signallers.forLiveSystem(Path.of("/proc"))) {
      System.out.println("signaller " + s.mechanism());
    }
  }
}
