package io.staticlet.testkit;

import java.util.List;

/**
 * How one command ended: its exit code ({@code -1} when it was killed at its timeout) and what it
 * printed.
 */
public record CommandResult(
    List<String> command, int exitCode, boolean timedOut, String stdout, String stderr) {

  public CommandResult {
    command = List.copyOf(command);
  }

  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }

  /** Standard output, then standard error (for messages and for callers that read both). */
  public String output() {
    return stdout + stderr;
  }

  /** This result, or a {@link CommandFailedException} naming the command and what it printed. */
  public CommandResult orThrow() {
    if (!succeeded()) {
      throw new CommandFailedException(this);
    }
    return this;
  }

  @Override
  public String toString() {
    return String.join(" ", command)
        + " -> "
        + (timedOut ? "killed at its timeout" : "exit " + exitCode)
        + "\n--- stdout ---\n"
        + stdout
        + "\n--- stderr ---\n"
        + stderr;
  }
}
