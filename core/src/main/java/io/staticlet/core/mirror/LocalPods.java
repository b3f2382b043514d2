package io.staticlet.core.mirror;

import io.staticlet.core.pod.PodKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether this agent may still run (or be about to run) a static pod with a given key. A mirror
 * without a pod in the status store is deleted as an orphan only when this says no: right after an
 * agent restart the store is still empty while the manifests are being read and the containers
 * adopted, and deleting the mirrors then would give every pod a new mirror UID.
 */
@FunctionalInterface
public interface LocalPods {
  boolean mayExist(PodKey key);

  /**
   * For wiring without access to the desired pods: every key may exist until {@code grace} after
   * now, none afterwards (then the status store alone decides). Prefer passing the desired pods:
   * {@code key -> !desired.listedOnce() || desired.get(key).isPresent()}.
   */
  static LocalPods startupGrace(Clock clock, Duration grace) {
    Instant until = clock.instant().plus(grace);
    return key -> clock.instant().isBefore(until);
  }
}
