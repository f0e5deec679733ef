package org.orphanreaper.act;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where pens go, from a mount table and a cgroup file as the kernel writes them. */
class ContainmentTest {

  @TempDir Path proc;

  private Containment of(String mountinfo, String ownCgroup) throws Exception {
    Files.createDirectories(proc.resolve("self"));
    Files.writeString(proc.resolve("self/mountinfo"), mountinfo);
    Path own = proc.resolve(Long.toString(ProcessHandle.current().pid()));
    Files.createDirectories(own);
    Files.writeString(own.resolve("cgroup"), ownCgroup);
    return Containment.of(Containment.Mode.AUTO, proc);
  }

  /** A hybrid node (Debian 12 with systemd's hybrid layout), optional fields and all. */
  @Test
  void findsBothHierarchiesOfAHybridNode() throws Exception {
    Containment c = of(String.join("\n",
        "22 27 0:21 / /proc rw,relatime shared:12 - proc proc rw",
        "31 23 0:28 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755",
        "32 31 0:29 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw,nsdelegate",
        "33 31 0:30 / /sys/fs/cgroup/systemd rw shared:11 - cgroup cgroup rw,xattr,name=systemd",
        "38 31 0:35 / /sys/fs/cgroup/freezer rw shared:16 - cgroup cgroup rw,freezer",
        ""), "0::/user.slice/user-1000.slice/session-3.scope\n");
    assertThat(c.cgroup2()).contains(Path.of("/sys/fs/cgroup/unified"));
    assertThat(c.freezer()).contains(Path.of("/sys/fs/cgroup/freezer"));
    assertThat(c.base(Pen.Hierarchy.CGROUP2, Path.of("/sys/fs/cgroup/unified")))
        .isEqualTo(Path.of("/sys/fs/cgroup/unified/orphan-reaper"));
  }

  /**
   * Started by systemd as orphan-reaper.service (Delegate=yes): pens go below the unit's own
   * cgroup. A bind mount of a subtree (a container's view) cannot hold them and is skipped; a
   * mount point with a space is unescaped.
   */
  @Test
  void aDelegatedUnitPensBelowItsOwnCgroup() throws Exception {
    Containment c = of(String.join("\n",
        "40 31 0:29 /machine.slice /srv/ct\\040one/cg rw - cgroup2 cgroup2 rw",
        "41 31 0:29 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate",
        ""), "0::/system.slice/orphan-reaper.service\n");
    assertThat(c.cgroup2()).contains(Path.of("/sys/fs/cgroup"));
    assertThat(c.freezer()).isEmpty();
    assertThat(c.base(Pen.Hierarchy.CGROUP2, Path.of("/sys/fs/cgroup")))
        .isEqualTo(Path.of("/sys/fs/cgroup/system.slice/orphan-reaper.service"));
  }

  @Test
  void withoutAMountTableThereIsNoPen() {
    Containment c = Containment.of(Containment.Mode.AUTO, proc.resolve("nowhere"));
    assertThat(c.open()).isInstanceOf(Containment.Opened.Unpenned.class);
    assertThat(((Containment.Opened.Unpenned) c.open()).why())
        .contains("no cgroup2 file system is mounted").contains("no cgroup v1 freezer");
  }
}
