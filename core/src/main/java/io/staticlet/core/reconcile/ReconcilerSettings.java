package io.staticlet.core.reconcile;

import java.time.Duration;

/**
 * Tunables of the pod reconcile loop. A value: built at wiring time, read from any thread.
 *
 * @param workers reconcile threads (pods synced in parallel)
 * @param syncFrequency resync of a converged pod ({@code syncFrequency}, kubelet default 1 m)
 * @param retryDelay retry after a transient engine failure
 */
public record ReconcilerSettings(int workers, Duration syncFrequency, Duration retryDelay) {
  public static ReconcilerSettings defaults() {
    return new ReconcilerSettings(8, Duration.ofMinutes(1), Duration.ofSeconds(2));
  }
}
