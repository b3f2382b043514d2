package io.staticlet.testkit;

/**
 * A command exited non-zero or outlived its timeout; the message carries the command and its
 * output.
 */
public final class CommandFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient CommandResult result;

  public CommandFailedException(CommandResult result) {
    super(
        String.join(" ", result.command())
            + " failed ("
            + (result.timedOut() ? "timed out" : "exit " + result.exitCode())
            + "): "
            + result.output());
    this.result = result;
  }

  public CommandResult result() {
    return result;
  }
}
