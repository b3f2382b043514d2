package io.staticlet.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.runtime.TerminationMessagePolicy;
import io.staticlet.core.testing.DefaultedPods;
import io.staticlet.core.volume.PodDirectories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessagesTest {
  private static final String UID = "00112233445566778899aabbccddeeff";
  @TempDir Path root;

  @Test
  void preparesAnEmptyWorldWritableFileAndBindsItAtTheMessagePath() throws IOException {
    var messages = new TerminationMessages(new PodDirectories(root));
    Container c = DefaultedPods.container("app").withTerminationMessagePath("/tmp/msg").build();
    var mount = messages.prepare(UID, c, 3).orElseThrow();
    Path file = root.resolve("pods/" + UID + "/containers/app/3/termination-log");
    assertEquals(file.toString(), mount.hostPath());
    assertEquals("/tmp/msg", mount.containerPath());
    assertFalse(mount.readOnly());
    assertEquals(0, Files.size(file));
    assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(
        messages
            .prepare(UID, DefaultedPods.container("x").withTerminationMessagePath("").build(), 0)
            .isEmpty());
  }

  @Test
  void readsAtMost4096Bytes() throws IOException {
    var dirs = new PodDirectories(root);
    var messages = new TerminationMessages(dirs);
    messages.prepare(UID, DefaultedPods.container("app").build(), 0);
    Files.writeString(dirs.terminationLog(UID, "app", 0), "x".repeat(5000));
    assertEquals(
        4096,
        messages.read(UID, "app", 0, TerminationMessagePolicy.FILE, 1, () -> "logs").length());
  }

  @Test
  void fallsBackToTheLogTailOnlyForFailuresWithAnEmptyFile() throws IOException {
    var dirs = new PodDirectories(root);
    var messages = new TerminationMessages(dirs);
    messages.prepare(UID, DefaultedPods.container("app").build(), 0);
    AtomicBoolean asked = new AtomicBoolean();
    assertEquals(
        "",
        messages.read(
            UID,
            "app",
            0,
            TerminationMessagePolicy.FALLBACK_TO_LOGS_ON_ERROR,
            0,
            () -> {
              asked.set(true);
              return "logs";
            }));
    assertFalse(asked.get(), "a successful exit never reads logs");
    assertEquals("", messages.read(UID, "app", 0, TerminationMessagePolicy.FILE, 1, () -> "logs"));
    assertEquals(
        "logs",
        messages.read(
            UID, "app", 0, TerminationMessagePolicy.FALLBACK_TO_LOGS_ON_ERROR, 1, () -> "logs"));
    String longLog = "a".repeat(3000) + "END";
    String tail =
        messages.read(
            UID, "app", 0, TerminationMessagePolicy.FALLBACK_TO_LOGS_ON_ERROR, 2, () -> longLog);
    assertEquals(2048, tail.length());
    assertTrue(tail.endsWith("END"));
    Files.writeString(dirs.terminationLog(UID, "app", 0), "from file");
    assertEquals(
        "from file",
        messages.read(
            UID, "app", 0, TerminationMessagePolicy.FALLBACK_TO_LOGS_ON_ERROR, 1, () -> "logs"));
  }

  @Test
  void missingFileIsAnEmptyMessage() {
    assertEquals(
        "",
        new TerminationMessages(new PodDirectories(root))
            .read(UID, "nope", 9, TerminationMessagePolicy.FILE, 1, () -> ""));
  }
}
