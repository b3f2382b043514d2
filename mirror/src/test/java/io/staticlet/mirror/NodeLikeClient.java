package io.staticlet.mirror;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Consumer;

/**
 * Makes the mock server's client behave like the agent's ({@link KubeClients#tune}): no hidden
 * request retries, so a scripted failure is seen by our code exactly once.
 */
public final class NodeLikeClient implements Consumer<KubernetesClientBuilder> {
  @Override
  public void accept(KubernetesClientBuilder builder) {
    builder
        .editOrNewConfig()
        .withRequestRetryBackoffLimit(0)
        .withRequestTimeout(KubeClients.REQUEST_TIMEOUT_MILLIS)
        .withWatchReconnectInterval(KubeClients.WATCH_RECONNECT_INTERVAL_MILLIS)
        .endConfig();
  }
}
