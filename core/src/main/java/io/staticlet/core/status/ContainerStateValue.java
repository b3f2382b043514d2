package io.staticlet.core.status;

import java.time.Instant;
import java.util.Objects;

/**
 * A container's {@code state} / {@code lastState}: exactly one of waiting, running, terminated.
 * Immutable.
 */
public sealed interface ContainerStateValue {
  /**
   * Not running although it should: {@code ContainerCreating}, {@code CrashLoopBackOff}, {@code
   * ErrImagePull}, ...
   */
  record Waiting(String reason, String message) implements ContainerStateValue {
    public Waiting {
      Objects.requireNonNull(reason, "reason");
      message = Objects.requireNonNullElse(message, "");
    }
  }

  /** Running since {@code startedAt} (whole seconds). */
  record Running(Instant startedAt) implements ContainerStateValue {
    public Running {
      startedAt = KubeTime.truncate(startedAt);
    }
  }

  /**
   * Ended (or could not be run).
   *
   * @param reason {@code Completed}, {@code Error}, {@code OOMKilled}, {@code ContainerCannotRun},
   *     ...
   * @param message the termination message or the engine's error, or empty
   * @param startedAt last start, or null if it never started
   * @param finishedAt exit time, or null if the engine never ran it
   * @param containerId the runtime's ID with its scheme ({@code docker://...})
   */
  record Terminated(
      int exitCode,
      String reason,
      String message,
      Instant startedAt,
      Instant finishedAt,
      String containerId)
      implements ContainerStateValue {
    public Terminated {
      reason = Objects.requireNonNullElse(reason, "");
      message = Objects.requireNonNullElse(message, "");
      startedAt = KubeTime.truncate(startedAt);
      finishedAt = KubeTime.truncate(finishedAt);
      containerId = Objects.requireNonNullElse(containerId, "");
    }
  }
}
