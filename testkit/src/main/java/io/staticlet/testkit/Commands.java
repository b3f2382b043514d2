package io.staticlet.testkit;

import java.time.Duration;
import java.util.List;

/**
 * The common case of {@link Command}: output (stdout and stderr together), or a failure naming the
 * command.
 */
public final class Commands {
  private Commands() {}

  /**
   * Fails with {@link CommandFailedException} when the command exits non-zero or has not exited
   * within {@code timeout}.
   */
  public static String run(List<String> cmd, Duration timeout) {
    return Command.of(cmd).timeout(timeout).mergeStderr().check();
  }

  /** Runs it and says how it ended, whatever its exit code. */
  public static CommandResult result(List<String> cmd, Duration timeout) {
    return Command.of(cmd).timeout(timeout).mergeStderr().run();
  }
}
