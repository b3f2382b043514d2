package io.staticlet.core.volume;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.runtime.ContainerSpecRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostPathCheckerTest {
  @TempDir Path tmp;

  @Test
  void directoryOrCreateMakesTheDirectoryWithMode0755() throws IOException {
    Path dir = tmp.resolve("a/b");
    HostPathChecker.check("data", dir, "DirectoryOrCreate");
    assertTrue(Files.isDirectory(dir));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
  }

  @Test
  void fileOrCreateMakesAnEmptyFile() throws IOException {
    Path file = tmp.resolve("f");
    HostPathChecker.check("data", file, "FileOrCreate");
    assertTrue(Files.isRegularFile(file));
    assertEquals(0, Files.size(file));
  }

  @Test
  void failedCheckNamesTheVolumeAndThePath() throws IOException {
    Path missing = tmp.resolve("missing");
    var e =
        assertThrows(
            ContainerSpecRejectedException.class,
            () -> HostPathChecker.check("certs", missing, "Directory"));
    assertTrue(e.getMessage().contains("\"certs\""), e.getMessage());
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

    Path file = Files.createFile(tmp.resolve("file"));
    assertThrows(
        ContainerSpecRejectedException.class, () -> HostPathChecker.check("v", file, "Directory"));
    assertThrows(
        ContainerSpecRejectedException.class,
        () -> HostPathChecker.check("v", file, "DirectoryOrCreate"));
    assertThrows(
        ContainerSpecRejectedException.class, () -> HostPathChecker.check("v", tmp, "File"));
    assertThrows(
        ContainerSpecRejectedException.class,
        () -> HostPathChecker.check("v", tmp, "FileOrCreate"));
    assertThrows(
        ContainerSpecRejectedException.class, () -> HostPathChecker.check("v", file, "Socket"));
    assertThrows(
        ContainerSpecRejectedException.class, () -> HostPathChecker.check("v", file, "CharDevice"));
    assertThrows(
        ContainerSpecRejectedException.class,
        () -> HostPathChecker.check("v", file, "BlockDevice"));
    assertThrows(
        ContainerSpecRejectedException.class, () -> HostPathChecker.check("v", file, "Weird"));
  }

  @Test
  void acceptsMatchingKindsAndAnEmptyType() throws IOException {
    Path file = Files.createFile(tmp.resolve("file"));
    assertDoesNotThrow(() -> HostPathChecker.check("v", file, "File"));
    assertDoesNotThrow(() -> HostPathChecker.check("v", tmp, "Directory"));
    assertDoesNotThrow(() -> HostPathChecker.check("v", Path.of("/dev/null"), "CharDevice"));
    assertDoesNotThrow(() -> HostPathChecker.check("v", tmp.resolve("nothing"), ""));
    assertDoesNotThrow(() -> HostPathChecker.check("v", tmp.resolve("nothing"), null));
  }
}
