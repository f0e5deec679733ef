package org.orphanreaper.sink.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.orphanreaper.SpecialFiles;

class RegularFileTest {

  @TempDir Path dir;
  @RegisterExtension final SpecialFiles special = new SpecialFiles();

  @Test
  void aRegularFileExistsAndNothingDoesNot() throws Exception {
    Path f = Files.writeString(dir.resolve("f"), "x");
    assertThat(RegularFile.exists(f)).isTrue();
    assertThat(RegularFile.exists(dir.resolve("none"))).isFalse();
    assertThat(RegularFile.exists(dir.resolve("none/deeper"))).isFalse();
  }

  @ParameterizedTest
  @EnumSource(SpecialFiles.Kind.class)
  void anythingElseIsRefusedAndNamed(SpecialFiles.Kind kind) throws Exception {
    Path p = special.make(kind, dir.resolve("p"));
    assertThatThrownBy(() -> RegularFile.exists(p))
        .isInstanceOf(NotRegularFileException.class)
        .hasMessage(p + ": it is " + kind.description() + ", not a regular file");
  }

  @Test
  void aSocketIsNamedToo() throws Exception {
    Path p = dir.resolve("sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(p));
      assertThatThrownBy(() -> RegularFile.exists(p))
          .isInstanceOf(NotRegularFileException.class)
          .hasMessage(p + ": it is a socket, not a regular file");
    }
  }

  @Test
  void aLinkToARegularFileIsStillALink() throws Exception {
    Path target = Files.writeString(dir.resolve("target"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    assertThatThrownBy(() -> RegularFile.exists(link))
        .hasMessage(link + ": it is a symbolic link, not a regular file");
  }
}
