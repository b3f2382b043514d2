package io.staticlet.core.status;

import io.staticlet.core.pod.ContainerKey;

/**
 * Probe results as the status computation needs them (the kubelet's prober results manager). The
 * default, without probes, says every running container is started and ready.
 */
public interface ContainerHealth {
  /** Readiness of the running instance {@code containerId}; only asked for running containers. */
  boolean ready(ContainerKey container, String containerId);

  /** Whether the startup probe (if any) of the running instance has succeeded. */
  boolean started(ContainerKey container, String containerId);

  ContainerHealth ALWAYS_READY = new ContainerHealth() {
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
