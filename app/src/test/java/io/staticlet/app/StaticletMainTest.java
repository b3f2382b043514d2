package io.staticlet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class StaticletMainTest {
  private final StringWriter err = new StringWriter();

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
  void helpExitsZero() {
    assertEquals(0, run("--help"));
  }
}
