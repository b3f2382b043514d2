package io.staticlet.e2e.faults;

import io.staticlet.e2e.support.AgentProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JVM options the shipped systemd unit starts the agent with (its {@code ExecStart}, up to {@code -jar}). */
final class ShippedJvm {
  private ShippedJvm() {}

  static List<String> options() {
    Path unit = AgentProcess.repo().resolve("deploy/systemd/staticlet.service");
    String text;
    try {
      text = Files.readString(unit);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String joined = text.replace("\\\n", " ");
    String exec = joined.lines().filter(l -> l.startsWith("ExecStart=")).findFirst()
        .orElseThrow(() -> new AssertionError("no ExecStart in " + unit));
    List<String> options = new ArrayList<>();
    boolean afterJava = false;
    for (String token : exec.substring("ExecStart=".length()).trim().split("\\s+")) {
      if (token.equals("-jar")) {
        break;
      }
      if (afterJava) {
        options.add(token);
      } else if (token.endsWith("java")) {
        afterJava = true;
      }
    }
    if (!options.contains("-XX:+ExitOnOutOfMemoryError") || options.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
      throw new AssertionError("the shipped unit's JVM options changed shape: " + options);
    }
    return options;
  }
}
