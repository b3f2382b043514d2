package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node heartbeat: Lease {@code kube-node-lease/<node>} with holder = node, duration 40 s and
 * renewTime = now, renewed every 10 s (docs/kubelet.md §5.3), owned by the Node. Created when
 * missing, replaced (PUT) otherwise; on a conflict it re-reads once and retries. Only renewed while
 * the Node exists (DECISIONS.md 17), so a deleted Node does not look alive.
 *
 * <p>Concurrency contract: {@link #renew()} runs on the cluster loops' scheduler (every {@code
 * leaseRenew}, and at once when the Node appears or the API server is back) and blocks for up to
 * three API calls (each within the client's request timeout); it holds this object's monitor, so
 * renewals never overlap and the last Lease read is owned here. {@link #renewals()} may be read
 * from any thread.
 */
final class LeaseRenewer {
  private static final Logger log = LoggerFactory.getLogger(LeaseRenewer.class);
  static final String NAMESPACE = "kube-node-lease";

  private final KubernetesClient client;
  private final ApiCalls calls;
  private final NodeState state;
  private final String nodeName;
  private final int durationSeconds;
  private final Clock clock;
  private Lease latest; // guarded by this
  private boolean skipping; // guarded by this
  private int renewals; // guarded by this

  LeaseRenewer(
      KubernetesClient client,
      ApiCalls calls,
      NodeState state,
      String nodeName,
      int durationSeconds,
      Clock clock) {
    this.client = client;
    this.calls = calls;
    this.state = state;
    this.nodeName = nodeName;
    this.durationSeconds = durationSeconds;
    this.clock = clock;
  }

  /** One renewal; failures are logged and the next period tries again. */
  synchronized void renew() {
    Optional<String> nodeUid = state.uid();
    if (nodeUid.isEmpty()) {
      if (!skipping) {
        log.info("lease not renewed while the node object is missing node={}", nodeName);
      }
      skipping = true;
      return;
    }
    skipping = false;
    try {
      for (int attempt = 0; attempt < 2; attempt++) {
        if (latest == null) {
          latest =
              calls.call(
                  "get lease " + nodeName,
                  () -> client.leases().inNamespace(NAMESPACE).withName(nodeName).get());
        }
        try {
          Lease desired = renewed(latest, nodeUid.get());
          latest =
              latest == null
                  ? calls.call(
                      "create lease " + nodeName,
                      () -> client.leases().inNamespace(NAMESPACE).resource(desired).create())
                  : calls.call(
                      "renew lease " + nodeName,
                      () -> client.leases().inNamespace(NAMESPACE).resource(desired).update());
          renewals++;
          return;
        } catch (ApiCallException e) {
          if (e.kind() != ApiErrorKind.CONFLICT && e.kind() != ApiErrorKind.NOT_FOUND) {
            throw e;
          }
          latest = null; // someone else wrote it, or it is gone: read again
        }
      }
      log.warn("lease renewal kept conflicting, will retry node={}", nodeName);
    } catch (ApiCallException e) {
      latest = null;
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      log.warn("lease renewal failed, will retry node={} reason={}", nodeName, e.getMessage());
    }
  }

  synchronized int renewals() {
    return renewals;
  }

  private Lease renewed(Lease base, String nodeUid) {
    OwnerReference owner =
        new OwnerReferenceBuilder()
            .withApiVersion("v1")
            .withKind("Node")
            .withName(nodeName)
            .withUid(nodeUid)
            .build();
    LeaseBuilder builder =
        base == null
            ? new LeaseBuilder()
                .withNewMetadata()
                .withName(nodeName)
                .withNamespace(NAMESPACE)
                .endMetadata()
            : new LeaseBuilder(base);
    return builder
        .editMetadata()
        .withOwnerReferences(List.of(owner))
        .endMetadata()
        .editOrNewSpec()
        .withHolderIdentity(nodeName)
        .withLeaseDurationSeconds(durationSeconds)
        .withRenewTime(
            ZonedDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC))
        .endSpec()
        .build();
  }
}
