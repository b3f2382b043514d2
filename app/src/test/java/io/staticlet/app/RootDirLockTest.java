package io.staticlet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootDirLockTest {
  @TempDir Path root;

  @Test
  void secondLockOnTheSameRootDirIsRefusedNamingTheFileAndTheOwner() throws Exception {
    try (RootDirLock first = RootDirLock.acquire(root, "node-a")) {
      RootDirLock.HeldException e =
          assertThrows(RootDirLock.HeldException.class, () -> RootDirLock.acquire(root, "node-a"));
      assertTrue(
          e.getMessage().contains(root.resolve("staticlet.lock").toString()), e.getMessage());
      assertTrue(e.getMessage().contains("pid=" + ProcessHandle.current().pid()), e.getMessage());
    }
    try (RootDirLock again = RootDirLock.acquire(root, "node-a")) {
      assertTrue(Files.readString(root.resolve("staticlet.lock")).startsWith("pid="));
    }
  }

  @Test
  void agentWithAHeldRootDirExitsWith2BeforeTouchingTheEngine() throws Exception {
    StringWriter err = new StringWriter();
    Files.createDirectories(root.resolve("manifests"));
    try (RootDirLock held = RootDirLock.acquire(root.resolve("root"), "n")) {
      int code =
          StaticletMain.run(
              new String[] {
                "--pod-manifest-path",
                root.resolve("manifests").toString(),
                "--root-dir",
                root.resolve("root").toString(),
                "--container-runtime-endpoint",
                "unix:///nonexistent.sock"
              },
              new PrintWriter(err, true));
      assertEquals(2, code, err.toString());
      assertTrue(err.toString().contains("staticlet.lock"), err.toString());
    }
  }
}
