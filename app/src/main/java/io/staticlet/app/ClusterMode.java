package io.staticlet.app;

import io.staticlet.app.config.AgentConfig;
import io.staticlet.core.events.EventBuffer;
import io.staticlet.core.reconcile.DesiredPods;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.mirror.ApiCallObserver;
import io.staticlet.mirror.ClusterAgent;
import io.staticlet.mirror.ClusterSettings;
import io.staticlet.mirror.ClusterWiring;
import io.staticlet.mirror.HostInfo;
import io.staticlet.mirror.credentials.CsrClient;
import io.staticlet.mirror.credentials.NodeCredentials;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Cluster mode (with {@code --kubeconfig}): builds the one {@link ClusterWiring} from the agent's
 * configuration and core parts, and starts the {@link ClusterAgent} on it (Node registration, Lease
 * heartbeats, mirror pods and events, each in its own loop; nothing here is on the path that starts
 * or stops containers).
 *
 * <p>This is the one class of {@code app} that builds the cluster side, and {@link Agent} reaches
 * it only when a kubeconfig is given: a standalone agent never loads it, nor fabric8's client or
 * its HTTP client (keep fabric8 types out of {@link Agent}'s fields, method signatures and
 * lambdas).
 */
final class ClusterMode {
  private ClusterMode() {}

  /** Builds and starts the cluster side; returns at once (connecting runs in the background). */
  static ClusterAgent start(
      AgentConfig config,
      PodStatusStore store,
      DesiredPods desired,
      Supplier<String> runtimeVersion,
      Clock clock,
      ApiCallObserver apiCalls,
      EventBuffer events) {
    NodeCredentials credentials =
        new NodeCredentials(
            new NodeCredentials.Settings(
                config.kubeconfig(),
                config.bootstrapKubeconfig(),
                config.certDir(),
                config.rotateCertificates(),
                config.nodeName()),
            clock,
            ClusterAgent::bootstrapClient,
            CsrClient.Pacing.kubelet());
    ClusterWiring wiring =
        new ClusterWiring(
            settings(config),
            credentials,
            store,
            // a mirror is an orphan only once the manifests were listed and no manifest defines its
            // pod
            key -> !desired.listedOnce() || desired.get(key).isPresent(),
            runtimeVersion,
            events,
            apiCalls,
            clock,
            NamedThreads.numbered("cluster"),
            ClusterWiring.Collaborators.real());
    ClusterAgent agent = new ClusterAgent(wiring);
    agent.start();
    return agent;
  }

  /**
   * The cluster settings of {@code config}; an empty {@code --node-ip} is the default route's
   * address.
   */
  static ClusterSettings settings(AgentConfig config) {
    String nodeIp = config.nodeIp().isBlank() ? HostInfo.defaultRouteAddress() : config.nodeIp();
    return new ClusterSettings(
        new ClusterSettings.NodeIdentity(config.nodeName(), nodeIp, config.kubeletApi().port()),
        new ClusterSettings.Registration(
            config.registerNode(), config.reregisterNode(), config.registration()),
        ClusterSettings.Heartbeats.of(
            config.nodeStatusUpdateFrequency(),
            config.nodeStatusReportFrequency(),
            config.nodeLeaseDurationSeconds()),
        ClusterSettings.ApiBudget.DEFAULT);
  }
}
