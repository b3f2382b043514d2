package io.staticlet.mirror;

import static io.staticlet.mirror.MockApi.NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NodeLikeClient.class)
class NodeRegistrarTest {
  KubernetesMockServer server;
  KubernetesClient client;

  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final NodeState state = new NodeState(NODE);

  private NodeRegistrar registrar(ClusterSettings settings) {
    NodeFactory factory = new NodeFactory(settings, NodeFactoryTest.HOST, () -> "20.10.24", clock);
    ApiCalls calls = new ApiCalls(ApiRateLimiter.unlimited(), new ApiHealth(clock));
    NodeRegistrar registrar = new NodeRegistrar(client, calls, factory, state, settings, scheduler);
    state.addListener(
        uid -> { // as ClusterLoops wires it
          if (uid.isEmpty()) {
            registrar.nodeGone();
          }
        });
    return registrar;
  }

  /** Runs the registration, with retries should a slow machine time a request out. */
  private void settle() {
    scheduler.advance(Duration.ofSeconds(30));
  }

  private Node node() {
    return client.nodes().withName(NODE).get();
  }

  @Test
  void registersNodeWithLabelsConditionsAndNodeInfo() {
    registrar(MockApi.settings()).start();
    settle();

    Node node = node();
    assertNotNull(node);
    assertEquals(node.getMetadata().getUid(), state.uid().orElseThrow());
    assertEquals(NODE, node.getMetadata().getLabels().get("kubernetes.io/hostname"));
    assertEquals("amd64", node.getMetadata().getLabels().get("kubernetes.io/arch"));
    assertEquals(NodeFactory.KUBELET_VERSION, node.getStatus().getNodeInfo().getKubeletVersion());
    assertEquals("docker://20.10.24", node.getStatus().getNodeInfo().getContainerRuntimeVersion());
    NodeCondition ready =
        node.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Ready"))
            .findFirst()
            .orElseThrow();
    assertEquals("True", ready.getStatus());
    assertEquals("10.0.0.5", node.getStatus().getAddresses().get(0).getAddress());
  }

  @Test
  void registersWithTheNodeLabelsTaintsAndMaxPodsOfTheCommandLine() {
    ClusterSettings d = MockApi.settings();
    ClusterSettings settings =
        new ClusterSettings(
            d.node(),
            new ClusterSettings.Registration(
                true,
                true,
                new NodeRegistration(
                    Map.of("tier", "edge", "kubernetes.io/hostname", "spoofed"),
                    List.of(new NodeRegistration.Taint("dedicated", "infra", "NoSchedule")),
                    30)),
            d.heartbeats(),
            d.api());
    registrar(settings).start();
    settle();

    Node node = node();
    assertEquals("edge", node.getMetadata().getLabels().get("tier"));
    assertEquals(
        NODE,
        node.getMetadata().getLabels().get("kubernetes.io/hostname"),
        "the agent's own labels win");
    Taint taint = node.getSpec().getTaints().get(0);
    assertEquals(
        List.of("dedicated", "infra", "NoSchedule"),
        List.of(taint.getKey(), taint.getValue(), taint.getEffect()));
    assertEquals("30", node.getStatus().getCapacity().get("pods").toString());
  }

  @Test
  void kubeadmsRoleLabelTaintAndAnnotationSurviveAnotherRegistration() {
    client
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .addToLabels("node-role.kubernetes.io/master", "")
                .addToLabels("kubernetes.io/hostname", NODE)
                .addToAnnotations(
                    "kubeadm.alpha.kubernetes.io/cri-socket", "/var/run/dockershim.sock")
                .endMetadata()
                .withNewSpec()
                .addNewTaint()
                .withKey("node-role.kubernetes.io/master")
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec()
                .build())
        .create();

    registrar(MockApi.settings()).start();
    settle();

    Node node = node();
    assertEquals("", node.getMetadata().getLabels().get("node-role.kubernetes.io/master"));
    assertEquals(
        "/var/run/dockershim.sock",
        node.getMetadata().getAnnotations().get("kubeadm.alpha.kubernetes.io/cri-socket"));
    assertEquals("node-role.kubernetes.io/master", node.getSpec().getTaints().get(0).getKey());
    assertEquals(
        "amd64", node.getMetadata().getLabels().get("kubernetes.io/arch"), "ours added by a patch");
  }

  @Test
  void adoptsAnExistingNodeAndAddsOurLabels() {
    Node existing =
        client
            .nodes()
            .resource(
                new NodeBuilder()
                    .withNewMetadata()
                    .withName(NODE)
                    .addToLabels("team", "infra")
                    .endMetadata()
                    .build())
            .create();

    registrar(MockApi.settings()).start();
    settle();

    Node node = node();
    assertEquals(existing.getMetadata().getUid(), node.getMetadata().getUid());
    assertEquals(existing.getMetadata().getUid(), state.uid().orElseThrow());
    assertEquals("infra", node.getMetadata().getLabels().get("team"));
    assertEquals(NODE, node.getMetadata().getLabels().get("kubernetes.io/hostname"));
    assertEquals(
        "true",
        node.getMetadata()
            .getAnnotations()
            .get("volumes.kubernetes.io/controller-managed-attach-detach"));
  }

  @Test
  void retriesWithBackOffDoublingFrom100Milliseconds() {
    server
        .expect()
        .post()
        .withPath("/api/v1/nodes")
        .andReturn(500, MockApi.status(500, "InternalError", "etcdserver: request timed out"))
        .times(3);

    registrar(MockApi.settings()).start();
    scheduler.runDue();
    scheduler.advance(Duration.ofMillis(100));
    scheduler.advance(Duration.ofMillis(200));
    assertNull(node(), "three attempts failed at 0, 100 and 300 ms");
    scheduler.advance(Duration.ofMillis(399));
    assertNull(node());
    scheduler.advance(Duration.ofMillis(1));

    assertNotNull(node(), "the fourth attempt at 700 ms succeeds");
  }

  @Test
  void backOffIsCappedAtSevenSeconds() {
    server
        .expect()
        .post()
        .withPath("/api/v1/nodes")
        .andReturn(503, MockApi.status(503, "ServiceUnavailable", "down"))
        .times(8);

    registrar(MockApi.settings()).start();
    scheduler.runDue();
    // 0.1 + 0.2 + 0.4 + 0.8 + 1.6 + 3.2 + 6.4 = 12.7 s for the first seven failures, then 7 s
    scheduler.advance(Duration.ofMillis(12_700));
    assertNull(node());
    scheduler.advance(Duration.ofMillis(6_999));
    assertNull(node());
    scheduler.advance(Duration.ofMillis(1));

    assertNotNull(node());
  }

  @Test
  void registersAgainWhenTheNodeIsDeleted() {
    registrar(MockApi.settings()).start();
    settle();
    String first = state.uid().orElseThrow();

    client.nodes().withName(NODE).delete();
    state.gone(first);
    settle();

    String second = state.uid().orElseThrow();
    assertNotEquals(first, second);
    assertEquals(second, node().getMetadata().getUid());
  }

  @Test
  void leavesADeletedNodeAloneWhenReRegistrationIsOff() {
    ClusterSettings d = MockApi.settings();
    ClusterSettings settings =
        new ClusterSettings(
            d.node(),
            new ClusterSettings.Registration(true, false, NodeRegistration.DEFAULT),
            d.heartbeats(),
            d.api());
    registrar(settings).start();
    scheduler.runDue();
    String first = state.uid().orElseThrow();

    client.nodes().withName(NODE).delete();
    state.gone(first);
    scheduler.advance(Duration.ofMinutes(1));

    assertNull(node());
    assertTrue(state.uid().isEmpty());
  }

  @Test
  void neverCreatesTheNodeWhenRegistrationIsOff() {
    ClusterSettings d = MockApi.settings();
    ClusterSettings settings =
        new ClusterSettings(
            d.node(),
            new ClusterSettings.Registration(false, true, NodeRegistration.DEFAULT),
            d.heartbeats(),
            d.api());
    registrar(settings).start();
    scheduler.advance(Duration.ofMinutes(1));

    assertNull(node());
  }
}
