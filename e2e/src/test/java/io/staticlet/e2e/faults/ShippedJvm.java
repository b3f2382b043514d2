package io.staticlet.e2e.faults;

import io.staticlet.e2e.support.AgentProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options the shipped launcher ({@code deploy/bin/staticlet}, which the systemd unit and the
 * kubelet entry point run) starts the agent with: its last {@code exec} line, up to {@code -jar}.
 */
final class ShippedJvm {
  private ShippedJvm() {}

  static List<String> options() {
    Path launcher = AgentProcess.repo().resolve("deploy/bin/staticlet");
    String text;
    try {
      text = Files.readString(launcher);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String joined = text.replace("\\\n", " ");
    String exec = joined.lines().map(String::trim).filter(l -> l.startsWith("exec \"${JAVA:-java}\"") && !l.contains("--version"))
        .reduce((first, last) -> last)
        .orElseThrow(() -> new AssertionError("no exec line in " + launcher));
    List<String> options = new ArrayList<>();
    for (String token : exec.substring("exec \"${JAVA:-java}\"".length()).trim().split("\\s+")) {
      if (token.equals("-jar")) {
        break;
      }
      if (token.startsWith("-")) {
        options.add(token);
      }
    }
    if (!options.contains("-XX:+ExitOnOutOfMemoryError") || options.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
      throw new AssertionError("the shipped launcher's JVM options changed shape: " + options);
    }
    return options;
  }
}
