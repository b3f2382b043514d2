package io.staticlet.core.probe;

import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.ExecResult;
import java.time.Duration;
import java.util.List;

/**
 * Exec probes: the command runs inside the container through the engine; exit code 0 is success,
 * anything else (or running past the timeout) a failure carrying the command's output. Engine
 * errors are not caught here: {@link Prober} decides what they mean.
 */
public final class ExecProber {
  private static final int MAX_MESSAGE = 1024;
  private final ContainerRuntime runtime;

  public ExecProber(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  public ProbeResult probe(String containerId, List<String> command, Duration timeout) {
    ExecResult result = runtime.exec(containerId, command, timeout);
    if (result.timedOut()) {
      return ProbeResult.failure(
          "command " + command + " timed out after " + timeout.toSeconds() + "s");
    }
    if (result.exitCode() == 0) {
      return ProbeResult.success();
    }
    String output = result.output().strip();
    if (output.length() > MAX_MESSAGE) {
      output = output.substring(0, MAX_MESSAGE) + "...";
    }
    return ProbeResult.failure(
        "command "
            + command
            + " exited with "
            + result.exitCode()
            + (output.isEmpty() ? "" : ": " + output));
  }
}
