package io.staticlet.core.hooks;

import io.fabric8.kubernetes.api.model.LifecycleHandler;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs a container's {@code postStart} or {@code preStop} handler (exec, httpGet, sleep). May block
 * up to {@code timeout}. Returns the failure message, or empty when the hook succeeded.
 */
public interface LifecycleHookRunner {
  Optional<String> run(String containerId, String podIp, LifecycleHandler handler, Duration timeout);
}
