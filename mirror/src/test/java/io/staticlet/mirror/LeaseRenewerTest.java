package io.staticlet.mirror;

import static io.staticlet.mirror.MockApi.NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.staticlet.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NodeLikeClient.class)
class LeaseRenewerTest {
  KubernetesMockServer server;
  KubernetesClient client;

  private final ManualClock clock =
      new ManualClock(Instant.parse("2026-01-01T00:00:00.123456789Z"));
  private final NodeState state = new NodeState(NODE);
  private LeaseRenewer renewer;
  private String nodeUid;

  @BeforeEach
  void setUp() {
    nodeUid = MockApi.createNode(client, NODE).getMetadata().getUid();
    state.observed(nodeUid);
    renewer =
        new LeaseRenewer(
            client,
            new ApiCalls(ApiRateLimiter.unlimited(), new ApiHealth(clock)),
            state,
            NODE,
            40,
            clock);
  }

  private Lease lease() {
    return client.leases().inNamespace("kube-node-lease").withName(NODE).get();
  }

  @Test
  void createsLeaseHeldByTheNodeAndOwnedByIt() {
    renewer.renew();

    Lease lease = lease();
    assertEquals(NODE, lease.getSpec().getHolderIdentity());
    assertEquals(40, lease.getSpec().getLeaseDurationSeconds());
    assertEquals(
        Instant.parse("2026-01-01T00:00:00.123456Z"),
        lease.getSpec().getRenewTime().toInstant(),
        "MicroTime precision");
    OwnerReference owner = lease.getMetadata().getOwnerReferences().get(0);
    assertEquals(1, lease.getMetadata().getOwnerReferences().size());
    assertEquals("v1", owner.getApiVersion());
    assertEquals("Node", owner.getKind());
    assertEquals(NODE, owner.getName());
    assertEquals(nodeUid, owner.getUid());
    assertNull(owner.getController(), "no controller flag, like the kubelet");
  }

  @Test
  void renewalAdvancesRenewTime() {
    renewer.renew();
    clock.advance(Duration.ofSeconds(10));
    renewer.renew();

    assertEquals(2, renewer.renewals());
    assertEquals(
        clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS),
        lease().getSpec().getRenewTime().toInstant());
  }

  @Test
  void rereadsAndRetriesAfterAConflict() {
    renewer.renew();
    client
        .leases()
        .inNamespace("kube-node-lease")
        .withName(NODE)
        .edit(
            l ->
                new LeaseBuilder(l)
                    .editMetadata()
                    .addToLabels("touched", "yes")
                    .endMetadata()
                    .build());

    clock.advance(Duration.ofSeconds(10));
    renewer.renew();

    assertEquals(2, renewer.renewals());
    assertEquals(
        clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS),
        lease().getSpec().getRenewTime().toInstant());
    assertEquals("yes", lease().getMetadata().getLabels().get("touched"));
  }

  @Test
  void recreatesALeaseThatWasDeleted() {
    renewer.renew();
    client.leases().inNamespace("kube-node-lease").withName(NODE).delete();

    renewer.renew();

    assertEquals(NODE, lease().getSpec().getHolderIdentity());
  }

  @Test
  void isNotRenewedWhileTheNodeIsMissing() {
    renewer.renew();
    Instant renewed = lease().getSpec().getRenewTime().toInstant();
    state.gone(nodeUid);

    clock.advance(Duration.ofSeconds(10));
    renewer.renew();

    assertEquals(renewed, lease().getSpec().getRenewTime().toInstant());
    assertEquals(1, renewer.renewals());
  }

  @Test
  void pointsTheOwnerAtTheReRegisteredNode() {
    renewer.renew();
    client.nodes().withName(NODE).delete();
    state.gone(nodeUid);
    String newUid = MockApi.createNode(client, NODE).getMetadata().getUid();
    state.observed(newUid);

    renewer.renew();

    assertEquals(newUid, lease().getMetadata().getOwnerReferences().get(0).getUid());
  }
}
