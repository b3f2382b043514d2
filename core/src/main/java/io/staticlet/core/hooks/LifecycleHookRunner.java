package io.staticlet.core.hooks;

import io.staticlet.core.runtime.LifecycleHandler;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs a container's {@code postStart} or {@code preStop} handler (exec, httpGet, sleep).
 * Implementations are thread-safe (the reconcile workers and the stop executor call them in
 * parallel) and may block up to {@code timeout}. Returns the failure message, or empty when the
 * hook succeeded; may throw the runtime's unchecked exceptions, which callers count as a failure.
 */
public interface LifecycleHookRunner {
  Optional<String> run(
      String containerId, String podIp, LifecycleHandler handler, Duration timeout);
}
