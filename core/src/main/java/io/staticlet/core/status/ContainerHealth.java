package io.staticlet.core.status;

import io.staticlet.core.pod.ContainerKey;
import java.time.Duration;
import java.util.Optional;

/**
 * Probe results as the status computation needs them (the kubelet's prober results manager). The
 * default, without probes, says every running container is started and ready.
 */
public interface ContainerHealth {
  /** Readiness of the running instance {@code containerId}; only asked for running containers. */
  boolean ready(ContainerKey container, String containerId);

  /** Whether the startup probe (if any) of the running instance has succeeded. */
  boolean started(ContainerKey container, String containerId);

  /**
   * Why the running instance {@code containerId} must be killed and restarted (liveness probe or
   * startup probe failed {@code failureThreshold} times), or empty. The reconciler stops it with
   * {@link #killGracePeriod} and then restarts it per restart policy, counting a restart.
   */
  default Optional<String> mustRestart(ContainerKey container, String containerId) {
    return Optional.empty();
  }

  /**
   * Grace period for a probe-triggered kill: the probe's terminationGracePeriodSeconds, if it set
   * one.
   */
  default Optional<Duration> killGracePeriod(ContainerKey container, String containerId) {
    return Optional.empty();
  }

  ContainerHealth ALWAYS_READY =
      new ContainerHealth() {
        @Override
        public boolean ready(ContainerKey container, String containerId) {
          return true;
        }

        @Override
        public boolean started(ContainerKey container, String containerId) {
          return true;
        }
      };
}
