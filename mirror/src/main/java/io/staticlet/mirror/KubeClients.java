package io.staticlet.mirror;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;

/** Builds the one API client of the agent from the node's kubeconfig. */
final class KubeClients {
  static final int REQUEST_TIMEOUT_MILLIS = 10_000;
  static final int CONNECTION_TIMEOUT_MILLIS = 5_000;
  /** Informer watches reconnect after 100 ms doubling to 3.2 s (fabric8 caps at 32 × this). */
  static final int WATCH_RECONNECT_INTERVAL_MILLIS = 100;

  private KubeClients() {}

  /**
   * TLS, client certificate and server come from the kubeconfig (its current context). fabric8's own
   * request retries are off: our loops retry with their own back-off, and a call must fail within
   * the request timeout so a down server never blocks a loop for long.
   */
  static KubernetesClient fromKubeconfig(ClusterSettings settings) {
    if (!Files.isReadable(settings.kubeconfig())) {
      throw new IllegalArgumentException("kubeconfig " + settings.kubeconfig() + " is not readable");
    }
    Config config = Config.fromKubeconfig(settings.kubeconfig().toFile());
    tune(config, settings);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** A client from credentials decided elsewhere (NodeCredentials), tuned like {@link #fromKubeconfig}. */
  static KubernetesClient fromConfig(Config config, ClusterSettings settings) {
    tune(config, settings);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  static void tune(Config config, ClusterSettings settings) {
    config.setRequestTimeout(REQUEST_TIMEOUT_MILLIS);
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    config.setRequestRetryBackoffLimit(0);
    config.setWatchReconnectInterval(WATCH_RECONNECT_INTERVAL_MILLIS);
    config.setWatchReconnectLimit(-1);
    config.setMaxConcurrentRequests(Math.max(settings.burst(), 8));
    config.setMaxConcurrentRequestsPerHost(Math.max(settings.burst(), 8));
  }
}
