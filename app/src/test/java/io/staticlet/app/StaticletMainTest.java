package io.staticlet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.testing.HangUpSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticletMainTest {
  private final StringWriter err = new StringWriter();
  @TempDir Path dir;

  private int run(String... args) {
    return StaticletMain.run(args, new PrintWriter(err, true));
  }

  @Test
  void unknownFlagGetsOneMessageAndExitCode2() {
    assertEquals(2, run("--pod-manifest-paht", "/etc/kubernetes/manifests"));
    assertTrue(err.toString().contains("--pod-manifest-paht"), err.toString());
    assertEquals(2, err.toString().lines().count(), "the message and a pointer to --help: " + err);
  }

  @Test
  void missingConfigFileExitsWith2NamingIt() {
    assertEquals(2, run("--config", "/nonexistent/staticlet.yaml"));
    assertTrue(err.toString().contains("/nonexistent/staticlet.yaml"), err.toString());
  }

  @Test
  void anEngineEndpointThatIsNotDockerGetsOneErrorNamingItAndExitCode2() throws IOException {
    try (HangUpSocket containerd = new HangUpSocket(dir.resolve("containerd.sock"))) {
      int code =
          run(
              "--pod-manifest-path",
              dir.toString(),
              "--hostname-override",
              "n1",
              "--container-runtime=remote",
              "--container-runtime-endpoint=" + containerd.endpoint());

      assertEquals(2, code);
      assertTrue(
          err.toString().contains(containerd.endpoint())
              && err.toString().contains("not a Docker Engine API"),
          err.toString());
      assertEquals(1, err.toString().lines().count(), err.toString());
    }
  }

  @Test
  void versionIsTheKubeletsFormatThatKubeadmParses() {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, run("--version"));
    } finally {
      System.setOut(saved);
    }
    // kubeadm's preflight (cmd/kubeadm/app/preflight/utils.go) parses this
    assertTrue(
        Pattern.matches(
            "^\\s*Kubernetes v1\\.20\\.2\\+staticlet-[-0-9a-zA-Z_.+]+\\s*$",
            out.toString(StandardCharsets.UTF_8)),
        out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpExitsZero() {
    assertEquals(0, run("--help"));
  }
}
