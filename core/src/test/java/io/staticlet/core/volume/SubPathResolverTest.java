package io.staticlet.core.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.runtime.ContainerConfigRejectedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubPathResolverTest {
  @TempDir Path tmp;
  private Path volume;
  private Path outside;

  @BeforeEach
  void setUp() throws Exception {
    volume = Files.createDirectories(tmp.resolve("volume")).toRealPath();
    outside = Files.createDirectories(tmp.resolve("outside")).toRealPath();
  }

  private Path resolve(String subPath) {
    return SubPathResolver.resolve(volume, subPath, "container app, volume \"data\"");
  }

  private String refused(String subPath) {
    return assertThrows(ContainerConfigRejectedException.class, () -> resolve(subPath))
        .getMessage();
  }

  @Test
  void plainSubPathIsCreatedAsADirectoryInsideTheVolume() {
    Path p = resolve("a/b");
    assertEquals(volume.resolve("a/b"), p);
    assertTrue(Files.isDirectory(p));
  }

  @Test
  void symlinkToTheHostRootIsRefusedNamingVolumeSubPathAndLink() throws Exception {
    Files.createSymbolicLink(volume.resolve("x"), Path.of("/"));
    String message = refused("x");
    assertTrue(
        message.contains("volume \"data\"")
            && message.contains("subPath \"x\"")
            && message.contains("x -> /"),
        message);
  }

  @Test
  void relativeSymlinkClimbingOutIsRefused() throws Exception {
    Files.createSymbolicLink(volume.resolve("up"), Path.of("../outside"));
    refused("up");
    refused("up/new");
    assertFalse(Files.exists(outside.resolve("new")), "nothing created outside the volume");
  }

  @Test
  void symlinkInAnIntermediateComponentIsRefused() throws Exception {
    Files.createDirectories(volume.resolve("a"));
    Files.createSymbolicLink(volume.resolve("a/b"), outside);
    refused("a/b/c");
    assertFalse(Files.exists(outside.resolve("c")));
  }

  @Test
  void symlinksThatStayInsideTheVolumeAreFollowedAndTheResultHasNone() throws Exception {
    Files.createDirectories(volume.resolve("real/dir"));
    Files.createSymbolicLink(volume.resolve("rel"), Path.of("real"));
    Files.createSymbolicLink(volume.resolve("abs"), volume.resolve("real/dir"));
    assertEquals(volume.resolve("real/dir"), resolve("rel/dir"));
    assertEquals(volume.resolve("real/dir"), resolve("abs"));
  }

  @Test
  void aLinkLoopIsRefused() throws Exception {
    Files.createSymbolicLink(volume.resolve("l1"), Path.of("l2"));
    Files.createSymbolicLink(volume.resolve("l2"), Path.of("l1"));
    assertTrue(refused("l1").contains("too many levels"));
  }

  @Test
  void backstepsAndAbsolutePathsAreRefused() {
    refused("../outside");
    refused("a/../../outside");
    refused("/etc");
  }

  @Test
  void aFileComponentInTheMiddleIsRefusedAndAFileAtTheEndIsFine() throws Exception {
    Files.writeString(volume.resolve("f"), "x");
    assertEquals(volume.resolve("f"), resolve("f"));
    assertTrue(refused("f/g").contains("not a directory"));
  }
}
