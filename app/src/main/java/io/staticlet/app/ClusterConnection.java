package io.staticlet.app;

import io.staticlet.app.config.AgentConfig;
import io.staticlet.core.health.LoopHealth;
import io.staticlet.core.reconcile.DesiredPods;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.mirror.AccessReviewClient;
import io.staticlet.mirror.ApiCallObserver;
import io.staticlet.core.events.EventBuffer;
import io.staticlet.mirror.ClusterAgent;
import io.staticlet.mirror.ClusterSettings;
import io.staticlet.mirror.credentials.NodeCredentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Cluster mode (with {@code --kubeconfig}): Node registration, Lease heartbeats and mirror pods,
 * all in their own loops. Nothing here is on the path that starts or stops containers.
 */
final class ClusterConnection implements AutoCloseable {
  private final ClusterAgent agent;
  private final Clock clock;

  private ClusterConnection(ClusterAgent agent, Clock clock) {
    this.agent = agent;
    this.clock = clock;
  }

  static ClusterConnection start(AgentConfig config, PodStatusStore store, DesiredPods desired,
      Supplier<String> runtimeVersion, Clock clock, ApiCallObserver apiCalls, EventBuffer events) {
    ClusterSettings defaults = ClusterSettings.defaults(config.kubeconfig(), config.nodeName(), config.nodeIp());
    ClusterSettings settings = new ClusterSettings(defaults.kubeconfig(), defaults.nodeName(), defaults.nodeIp(),
        config.registerNode(), config.reregisterNode(), config.nodeStatusUpdateFrequency(),
        config.nodeStatusReportFrequency(), leaseRenewOf(config.nodeLeaseDurationSeconds()), config.nodeLeaseDurationSeconds(),
        defaults.qps(), defaults.burst(), config.registration(), config.kubeletApi().port());
    NodeCredentials credentials = new NodeCredentials(new NodeCredentials.Settings(config.kubeconfig(),
        config.bootstrapKubeconfig(), config.certDir(), config.rotateCertificates(), config.nodeName()), clock,
        ClusterAgent::bootstrapClient, io.staticlet.mirror.credentials.CsrClient.Pacing.kubelet());
    // a mirror is an orphan only once the manifests were listed and no manifest defines its pod
    ClusterAgent agent = new ClusterAgent(settings, credentials, store,
        key -> !desired.listedOnce() || desired.get(key).isPresent(),
        runtimeVersion, clock, NamedThreads.numbered("cluster"));
    agent.observeApiCalls(apiCalls);
    agent.publishEvents(events);
    agent.start();
    return new ClusterConnection(agent, clock);
  }

  /** The kubelet renews its Lease every quarter of the Lease's duration (10 s for the default 40 s). */
  private static Duration leaseRenewOf(int leaseDurationSeconds) {
    return Duration.ofMillis(leaseDurationSeconds * 250L);
  }

  /** TokenReviews and SubjectAccessReviews for the kubelet API's webhook modes. */
  AccessReviewClient accessReviews() {
    return agent.accessReviews();
  }

  int eventsPending() {
    return agent.eventsPending();
  }

  /** Why the mirror of {@code key} could not be written ("" when fine), owned by the mirror loop. */
  String mirrorError(PodKey key) {
    return agent.mirrorSync().map(sync -> sync.mirrorError(key)).orElse("");
  }

  /** The mirror loop's workers, for {@code /healthz}. */
  void reportTo(LoopHealth health, Duration stuckAfter) {
    health.add("mirror", () -> agent.mirrorSync().flatMap(sync -> sync.stuck(stuckAfter)));
    // expired, refused (401, or 403 as system:anonymous) or not obtainable: does not heal by waiting
    health.add("cluster credentials", agent::credentialProblem);
  }

  boolean healthy() {
    return agent.healthy() && agent.credentialProblem().isEmpty();
  }

  String problem() {
    Optional<String> credentials = agent.credentialProblem();
    if (credentials.isPresent()) {
      return credentials.get();
    }
    if (!agent.connected()) {
      return "not connected yet";
    }
    return agent.lastError().orElse("node not registered yet");
  }

  /** Seconds until the client certificate in use expires; NaN without one. */
  double certificateExpirySeconds() {
    return agent.certificateNotAfter()
        .map(t -> (double) Duration.between(clock.instant(), t).toMillis() / 1000.0)
        .orElse(Double.NaN);
  }

  Optional<Instant> certificateNotAfter() {
    return agent.certificateNotAfter();
  }

  @Override
  public void close() {
    agent.close();
  }
}
