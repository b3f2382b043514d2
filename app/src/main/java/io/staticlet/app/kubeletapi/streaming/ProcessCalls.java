package io.staticlet.app.kubeletapi.streaming;

import io.staticlet.core.runtime.StreamingProcess;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * What both sessions do with their processes: calls that may find it gone, and failures unwrapped.
 */
final class ProcessCalls {
  private ProcessCalls() {}

  /**
   * Runs {@code action} on the process once it exists; a failure (the process is gone) is only
   * logged.
   */
  static void quietly(
      StreamingProcess process, Consumer<StreamingProcess> action, Logger log, String what) {
    if (process == null) {
      return;
    }
    try {
      action.accept(process);
    } catch (RuntimeException e) {
      log.debug("{}: {}", what, e.getMessage());
    }
  }

  /** The message of what made a process fail, without the future's wrapper. */
  static String message(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return cause.getMessage();
  }
}
