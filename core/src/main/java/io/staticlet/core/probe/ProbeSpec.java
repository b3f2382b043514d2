package io.staticlet.core.probe;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One probe of one container, defaulted (docs/kubelet.md §2.3: timeout 1 s, period 10 s, success 1,
 * failure 3) and with its ports resolved.
 *
 * @param killGrace the probe's own {@code terminationGracePeriodSeconds} (liveness and startup),
 *     which overrides the pod's for a kill this probe causes; empty when not set
 */
public record ProbeSpec(
    ProbeType type,
    ProbeAction action,
    Duration initialDelay,
    Duration period,
    Duration timeout,
    int successThreshold,
    int failureThreshold,
    Optional<Duration> killGrace) {
  public ProbeSpec {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(killGrace, "killGrace");
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    successThreshold = Math.max(1, successThreshold);
    failureThreshold = Math.max(1, failureThreshold);
  }
}
