package io.staticlet.mirror;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** Builds the agent's API clients, tuned for a node agent. */
final class KubeClients {
  static final int REQUEST_TIMEOUT_MILLIS = 10_000;
  static final int CONNECTION_TIMEOUT_MILLIS = 5_000;

  /** Informer watches reconnect after 100 ms doubling to 3.2 s (fabric8 caps at 32 × this). */
  static final int WATCH_RECONNECT_INTERVAL_MILLIS = 100;

  private KubeClients() {}

  /**
   * A client from credentials decided elsewhere ({@code NodeCredentials}): TLS, client certificate
   * and server come from {@code config}. fabric8's own request retries are off: our loops retry
   * with their own back-off, and a call must fail within the request timeout so a down server never
   * blocks a loop for long.
   */
  static KubernetesClient fromConfig(Config config, ClusterSettings.ApiBudget budget) {
    tune(config, budget);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  static void tune(Config config, ClusterSettings.ApiBudget budget) {
    config.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    config.setRequestRetryBackoffLimit(0);
    config.setWatchReconnectInterval(WATCH_RECONNECT_INTERVAL_MILLIS);
    config.setWatchReconnectLimit(-1);
    config.setMaxConcurrentRequests(Math.max(budget.burst(), 8));
    config.setMaxConcurrentRequestsPerHost(Math.max(budget.burst(), 8));
  }
}
