package io.staticlet.core.runtime;

/** Outcome of a command run inside a container (hooks, exec probes). */
public record ExecResult(int exitCode, String output, boolean timedOut) {
  public boolean succeeded() {
    return !timedOut && exitCode == 0;
  }
}
