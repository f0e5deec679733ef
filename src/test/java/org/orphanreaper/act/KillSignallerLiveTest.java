package org.orphanreaper.act;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.orphanreaper.proc.ProcStatStartTicks;

class KillSignallerLiveTest extends LiveSignallingContract {

  @Override
  Signaller create() {
    return new KillSignaller(NativeKillCall.load(), new ProcStatStartTicks(SpawnedProcess.PROC));
  }

  @Test
  void isNamedKill() {
    assertThat(signaller().mechanism()).isEqualTo("kill");
  }
}
