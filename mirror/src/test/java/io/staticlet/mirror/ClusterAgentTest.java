package io.staticlet.mirror;

import static io.staticlet.mirror.MockApi.NODE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.staticlet.core.mirror.MirrorSettings;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.testing.TestPods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NodeLikeClient.class)
class ClusterAgentTest {
  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path dir;

  private final Clock clock = Clock.systemUTC();
  private final PodStatusStore store = new PodStatusStore();
  private final StaticPod web = TestPods.pod("web").container("nginx", "nginx:1.25").build();
  private final List<ClusterAgent> agents = new ArrayList<>();

  @AfterEach
  void closeAgents() {
    agents.forEach(ClusterAgent::close);
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(20));
  }

  private ClusterAgent agent(ClusterSettings settings, KubernetesClient apiClient) {
    ClusterAgent agent = new ClusterAgent(settings, store, key -> false, () -> "20.10.24", clock, Thread::new,
        () -> new ClusterLoops.Dependencies(apiClient, false, false, NodeFactoryTest.HOST, null, ApiRateLimiter.unlimited(),
            new MirrorSettings(2, Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1))));
    agents.add(agent);
    return agent;
  }

  private Node node() {
    return client.nodes().withName(NODE).get();
  }

  private Pod mirror() {
    return client.pods().inNamespace("default").withName(web.key().name()).get();
  }

  private Lease lease() {
    return client.leases().inNamespace("kube-node-lease").withName(NODE).get();
  }

  private boolean ready(Node node) {
    return node != null && node.getStatus() != null && node.getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private boolean mirrorRunningOwnedBy(String nodeUid) {
    Pod m = mirror();
    return m != null && m.getStatus() != null && "Running".equals(m.getStatus().getPhase())
        && nodeUid.equals(m.getMetadata().getOwnerReferences().get(0).getUid());
  }

  @Test
  void joinsTheClusterWithAReadyNodeARenewedLeaseAndMirrors() {
    store.update(web, MockApi.running(0));
    ClusterAgent agent = agent(MockApi.fastSettings(true), client);

    agent.start();

    eventually().until(() -> ready(node()));
    String nodeUid = node().getMetadata().getUid();
    eventually().until(() -> lease() != null);
    Instant firstRenewal = lease().getSpec().getRenewTime().toInstant();
    eventually().until(() -> lease().getSpec().getRenewTime().toInstant().isAfter(firstRenewal));
    assertEquals(nodeUid, lease().getMetadata().getOwnerReferences().get(0).getUid());
    eventually().until(() -> mirrorRunningOwnedBy(nodeUid));
    assertTrue(agent.healthy());
    assertEquals(nodeUid, agent.nodeUid().orElseThrow());
    assertTrue(agent.mirrorSync().isPresent());
  }

  @Test
  void aBrokenKubeconfigIsReportedNotThrownByStart() throws Exception {
    Path kubeconfig = dir.resolve("broken.conf");
    Files.writeString(kubeconfig, "this: is: not: a kubeconfig");
    ClusterAgent agent = new ClusterAgent(ClusterSettings.defaults(kubeconfig, NODE, "10.0.0.5"), store, key -> false,
        () -> "20.10.24", clock, Thread::new);
    agents.add(agent);

    agent.start();

    eventually().until(() -> agent.lastError().isPresent());
    assertTrue(agent.lastError().orElseThrow().contains("kubeconfig"), agent.lastError().orElseThrow());
    assertFalse(agent.healthy());
  }

  @Test
  void anUnreadableKubeconfigFailsFast() {
    assertThrows(IllegalArgumentException.class, () -> new ClusterAgent(
        ClusterSettings.defaults(dir.resolve("missing.conf"), NODE, "10.0.0.5"), store, () -> "20.10.24", clock, Thread::new));
  }

  @Test
  void registersADeletedNodeAgainAndRepublishesItsMirrors() {
    store.update(web, MockApi.running(0));
    ClusterAgent agent = agent(MockApi.fastSettings(true), client);
    agent.start();
    eventually().until(() -> node() != null && mirror() != null);
    String firstUid = node().getMetadata().getUid();
    String firstMirror = mirror().getMetadata().getUid();

    client.nodes().withName(NODE).delete();
    client.pods().inNamespace("default").withName(web.key().name()).delete(); // the garbage collector's part

    eventually().until(() -> node() != null && !node().getMetadata().getUid().equals(firstUid));
    String secondUid = node().getMetadata().getUid();
    eventually().until(() -> mirrorRunningOwnedBy(secondUid));
    assertNotEquals(firstMirror, mirror().getMetadata().getUid());
    eventually().until(() -> secondUid.equals(lease().getMetadata().getOwnerReferences().get(0).getUid()));
  }

  @Test
  void replacesMirrorsStillOwnedByADeletedNode() {
    store.update(web, MockApi.running(0));
    agent(MockApi.fastSettings(true), client).start();
    eventually().until(() -> node() != null && mirror() != null);
    String firstUid = node().getMetadata().getUid();

    client.nodes().withName(NODE).delete(); // the mock has no garbage collector: the mirror stays

    eventually().until(() -> node() != null && !node().getMetadata().getUid().equals(firstUid));
    String secondUid = node().getMetadata().getUid();
    eventually().until(() -> mirrorRunningOwnedBy(secondUid));
  }

  @Test
  void usesAnExistingNodeWithoutRegisteringWhenRegistrationIsOff() {
    String existing = MockApi.createNode(client, NODE).getMetadata().getUid();
    store.update(web, MockApi.running(0));

    agent(MockApi.fastSettings(false), client).start();

    eventually().until(() -> mirrorRunningOwnedBy(existing));
    assertEquals(existing, node().getMetadata().getUid());
  }

  @Test
  void waitsForTheNodeWhenRegistrationIsOffAndThereIsNone() {
    store.update(web, MockApi.running(0));
    ClusterAgent agent = agent(MockApi.fastSettings(false), client);

    agent.start();

    eventually().until(() -> agent.mirrorSync().map(sync -> sync.mirrorError(web.key())).orElse("").contains("Node"));
    assertNull(node());
    assertNull(mirror());
    assertFalse(agent.healthy());

    String created = MockApi.createNode(client, NODE).getMetadata().getUid();
    eventually().until(() -> mirrorRunningOwnedBy(created));
  }

  @Test
  void startReturnsAtOnceAndKeepsTryingWhileTheApiServerIsDown() {
    KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("https://127.0.0.1:1").withTrustCerts(true).withRequestRetryBackoffLimit(0)
        .withConnectionTimeout(1000).withRequestTimeout(1000).build()).build();
    try {
      store.update(web, MockApi.running(0));
      ClusterAgent agent = agent(MockApi.fastSettings(true), unreachable);

      long started = System.nanoTime();
      agent.start();
      long tookMillis = (System.nanoTime() - started) / 1_000_000;

      assertTrue(tookMillis < 2000, "start() took " + tookMillis + " ms");
      eventually().until(() -> agent.lastError().isPresent());
      assertFalse(agent.healthy());
      agent.close();
    } finally {
      unreachable.close();
    }
  }

  @Test
  void closingLeavesNodeLeaseAndMirrorsInPlace() {
    store.update(web, MockApi.running(0));
    ClusterAgent agent = agent(MockApi.fastSettings(true), client);
    agent.start();
    eventually().until(() -> node() != null && lease() != null && mirror() != null);

    agent.close();

    assertNotNull(node());
    assertNotNull(lease());
    assertNotNull(mirror());
  }

  @Test
  void buildsItsClientFromTheNodeKubeconfig() throws Exception {
    Path kubeconfig = dir.resolve("kubelet.conf");
    Files.writeString(kubeconfig, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: test",
        "  cluster:",
        "    server: " + client.getMasterUrl().toString().replaceAll("/$", ""),
        "    insecure-skip-tls-verify: true",
        "users:",
        "- name: system:node:" + NODE,
        "  user:",
        "    token: node-token",
        "contexts:",
        "- name: node",
        "  context:",
        "    cluster: test",
        "    user: system:node:" + NODE,
        "current-context: node",
        ""));
    ClusterSettings settings = ClusterSettings.defaults(kubeconfig, NODE, "10.0.0.5");
    ClusterAgent agent = new ClusterAgent(settings, store, key -> false, () -> "20.10.24", clock, Thread::new);
    agents.add(agent);

    agent.start();

    eventually().until(() -> ready(node()));
    eventually().until(() -> lease() != null);
  }
}
