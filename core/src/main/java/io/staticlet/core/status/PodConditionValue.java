package io.staticlet.core.status;

import java.time.Instant;
import java.util.Objects;

/**
 * One pod condition. Immutable.
 *
 * @param reason machine-readable reason, or empty
 * @param message human-readable message, or empty
 * @param lastTransitionTime when {@code status} last changed (whole seconds, as the API shows it)
 */
public record PodConditionValue(
    PodConditionType type,
    boolean status,
    String reason,
    String message,
    Instant lastTransitionTime) {
  public PodConditionValue {
    Objects.requireNonNull(type, "type");
    reason = Objects.requireNonNullElse(reason, "");
    message = Objects.requireNonNullElse(message, "");
    lastTransitionTime =
        KubeTime.truncate(Objects.requireNonNull(lastTransitionTime, "lastTransitionTime"));
  }
}
