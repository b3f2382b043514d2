package io.staticlet.mirror;

import static io.staticlet.mirror.MockApi.NODE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.staticlet.core.pod.KubeletAnnotations;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * API pods bound to the node are marked Failed through pods/status; mirrors and other nodes' pods
 * are left alone.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NodeLikeClient.class)
class ApiPodRejecterTest {
  KubernetesMockServer server;
  KubernetesClient client;

  private ApiServerMirrorPublisher publisher;
  private ApiPodRejecter rejecter;

  @BeforeEach
  void setUp() {
    NodeState nodeState = new NodeState(NODE);
    nodeState.observed(MockApi.createNode(client, NODE).getMetadata().getUid());
    ApiHealth health = new ApiHealth(Clock.systemUTC());
    publisher =
        new ApiServerMirrorPublisher(
            client,
            new ApiCalls(ApiRateLimiter.unlimited(), health),
            nodeState,
            health,
            false,
            Clock.systemUTC());
    rejecter = publisher.apiPodRejecter();
  }

  @AfterEach
  void tearDown() {
    publisher.close();
    rejecter.close();
  }

  private Pod create(String name, String nodeName, boolean mirror) {
    PodBuilder pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("kube-system")
            .endMetadata()
            .withNewSpec()
            .withNodeName(nodeName)
            .addNewContainer()
            .withName("c")
            .withImage("kube-proxy:v1.20.2")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .endStatus();
    if (mirror) {
      pod.editMetadata().addToAnnotations(KubeletAnnotations.CONFIG_MIRROR, "abc").endMetadata();
    }
    return client.pods().inNamespace("kube-system").resource(pod.build()).create();
  }

  private Pod get(String name) {
    return client.pods().inNamespace("kube-system").withName(name).get();
  }

  @Test
  void aDaemonSetPodBoundToThisNodeIsMarkedFailedWithAReasonAndTheOthersAreLeftAlone() {
    create("already-there", NODE, false); // listed at start
    rejecter.start(Thread::new);
    publisher.start();
    create("kube-proxy-x7k2p", NODE, false); // watched
    create("other-node-pod", "node2", false);
    create("etcd-" + NODE, NODE, true);

    for (String name : new String[] {"already-there", "kube-proxy-x7k2p"}) {
      await(name + " Failed")
          .atMost(Duration.ofSeconds(20))
          .until(() -> "Failed".equals(get(name).getStatus().getPhase()));
      Pod pod = get(name);
      assertEquals(ApiPodRejecter.REASON, pod.getStatus().getReason());
      assertTrue(
          pod.getStatus().getMessage().startsWith("Pod ")
              && pod.getStatus().getMessage().contains(NODE),
          pod.getStatus().getMessage());
    }
    // written after the two above: had they been touched, it would have been by now
    create("late-marker", NODE, false);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "Failed".equals(get("late-marker").getStatus().getPhase()));
    assertEquals("Pending", get("other-node-pod").getStatus().getPhase());
    assertEquals("Pending", get("etcd-" + NODE).getStatus().getPhase());
  }

  @Test
  void onlyPendingOrRunningPodsOfThisNodeAreRejected() {
    Pod bound =
        new PodBuilder()
            .withNewMetadata()
            .withName("p")
            .endMetadata()
            .withNewSpec()
            .withNodeName(NODE)
            .endSpec()
            .build();
    assertTrue(ApiPodRejecter.toReject(bound, NODE));
    assertFalse(
        ApiPodRejecter.toReject(
            new PodBuilder(bound).withNewStatus().withPhase("Succeeded").endStatus().build(),
            NODE));
    assertFalse(
        ApiPodRejecter.toReject(
            new PodBuilder(bound)
                .editMetadata()
                .withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata()
                .build(),
            NODE));
    assertFalse(ApiPodRejecter.toReject(bound, "node2"));
  }
}
