package io.staticlet.app;

import io.staticlet.app.config.AgentConfig;
import io.staticlet.core.status.PodStatusStore;
import java.time.Clock;
import java.util.function.Supplier;

/** Cluster mode: node registration, lease and mirror pods. Wired once the mirror module lands. */
final class ClusterConnection implements AutoCloseable {
  static ClusterConnection start(AgentConfig config, PodStatusStore store, Supplier<String> runtimeVersion, Clock clock) {
    throw new UnsupportedOperationException("cluster mode is not wired yet");
  }

  @Override
  public void close() {}
}
