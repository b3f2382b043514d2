package io.staticlet.core.hooks;

import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.ExecResult;
import io.staticlet.core.runtime.LifecycleHandler;
import java.time.Duration;
import java.util.Optional;

/**
 * Hooks that need nothing but the engine: {@code exec} (run in the container) and {@code sleep}.
 * Network handlers ({@code httpGet}, {@code tcpSocket}) are delegated to {@code network},
 * implemented outside core. Thread-safe if {@code network} is.
 */
public final class ExecHookRunner implements LifecycleHookRunner {
  private final ContainerRuntime runtime;
  private final LifecycleHookRunner network;

  public ExecHookRunner(ContainerRuntime runtime, LifecycleHookRunner network) {
    this.runtime = runtime;
    this.network = network;
  }

  /** Without a network runner: httpGet hooks fail with a clear message. */
  public ExecHookRunner(ContainerRuntime runtime) {
    this(
        runtime,
        (c, ip, h, t) -> Optional.of("httpGet hooks are not supported by this agent build"));
  }

  @Override
  public Optional<String> run(
      String containerId, String podIp, LifecycleHandler handler, Duration timeout) {
    if (handler instanceof LifecycleHandler.Exec exec) {
      ExecResult result = runtime.exec(containerId, exec.command(), timeout);
      if (result.timedOut()) {
        return Optional.of("exec hook timed out after " + timeout.toSeconds() + "s");
      }
      return result.exitCode() == 0
          ? Optional.empty()
          : Optional.of(
              "exec hook exited with " + result.exitCode() + ": " + result.output().strip());
    }
    if (handler instanceof LifecycleHandler.Sleep) {
      // the sleep action only delays termination; the grace period bounds it (SIGTERM follows)
      return Optional.empty();
    }
    if (handler instanceof LifecycleHandler.HttpGet
        || handler instanceof LifecycleHandler.TcpSocket) {
      return network.run(containerId, podIp, handler, timeout);
    }
    return Optional.of("hook has no handler (exec, httpGet or sleep)");
  }
}
