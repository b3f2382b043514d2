package io.staticlet.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostInfoTest {
  @TempDir Path root;

  private void write(String path, String content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  @Test
  void readsKernelOsImageIdsAndMemoryFromProcAndEtc() throws IOException {
    write("proc/sys/kernel/osrelease", "5.10.0-28-amd64\n");
    write(
        "etc/os-release",
        "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\n");
    write("etc/machine-id", "0123456789abcdef0123456789abcdef\n");
    write("proc/sys/kernel/random/boot_id", "5c5d4b6e-1f7a-4d43-9a3c-6c5f3f4e2a10\n");
    write("proc/meminfo", "MemTotal:        8048576 kB\nMemFree:         1000 kB\n");

    HostInfo host = HostInfo.detect(root, "x86_64", 4);

    assertEquals("linux", host.operatingSystem());
    assertEquals("amd64", host.architecture());
    assertEquals("5.10.0-28-amd64", host.kernelVersion());
    assertEquals("Debian GNU/Linux 12 (bookworm)", host.osImage());
    assertEquals("0123456789abcdef0123456789abcdef", host.machineId());
    assertEquals("5c5d4b6e-1f7a-4d43-9a3c-6c5f3f4e2a10", host.bootId());
    assertEquals(8048576L * 1024, host.memoryBytes());
    assertEquals(4, host.cpus());
    assertEquals("", host.systemUuid(), "unreadable facts are empty");
  }

  @Test
  void namesArchitecturesAsGoDoes() {
    assertEquals("amd64", HostInfo.goArch("amd64"));
    assertEquals("arm64", HostInfo.goArch("aarch64"));
    assertEquals("386", HostInfo.goArch("x86"));
    assertEquals("ppc64le", HostInfo.goArch("ppc64le"));
  }

  @Test
  void fallsBackToLinuxWithoutPrettyName() {
    assertEquals("Linux", HostInfo.prettyName("ID=alpine\n"));
    assertEquals("Alpine Linux v3.19", HostInfo.prettyName("PRETTY_NAME='Alpine Linux v3.19'"));
  }
}
