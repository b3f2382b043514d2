package io.staticlet.mirror;

import static io.staticlet.mirror.MockApi.NODE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.testing.TestPods;
import io.staticlet.mirror.credentials.CsrClient;
import io.staticlet.mirror.credentials.NodeCredentials;
import java.io.IOException;
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

  @TempDir Path dir;

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

  private NodeCredentials credentials(Path kubeconfig) {
    return new NodeCredentials(
        new NodeCredentials.Settings(kubeconfig, null, dir.resolve("pki"), false, NODE),
        clock,
        ClusterAgent::bootstrapClient,
        CsrClient.Pacing.kubelet());
  }

  /**
   * An agent whose API clients are all {@code apiClient} (the test closes it), with a node
   * kubeconfig on disk.
   */
  private ClusterAgent agent(ClusterSettings settings, KubernetesClient apiClient)
      throws IOException {
    Path kubeconfig =
        MockApi.tokenKubeconfig(dir.resolve("kubelet.conf"), client.getMasterUrl().toString());
    return agent(
        MockApi.wiring(
            settings,
            credentials(kubeconfig),
            store,
            key -> false,
            MockApi.mockServerCollaborators().withClients(config -> apiClient, false)));
  }

  private ClusterAgent agent(ClusterWiring wiring) {
    ClusterAgent agent = new ClusterAgent(wiring);
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
    return node != null
        && node.getStatus() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private boolean mirrorRunningOwnedBy(String nodeUid) {
    Pod m = mirror();
    return m != null
        && m.getStatus() != null
        && "Running".equals(m.getStatus().getPhase())
        && nodeUid.equals(m.getMetadata().getOwnerReferences().get(0).getUid());
  }

  @Test
  void joinsTheClusterWithAReadyNodeARenewedLeaseAndMirrors() throws Exception {
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
    ClusterAgent agent =
        agent(
            MockApi.wiring(
                ClusterSettings.defaults(NODE, "10.0.0.5"),
                credentials(kubeconfig),
                store,
                key -> false,
                MockApi.mockServerCollaborators()));

    agent.start();

    eventually().until(() -> agent.lastError().isPresent());
    assertTrue(
        agent.lastError().orElseThrow().contains("kubeconfig"), agent.lastError().orElseThrow());
    assertFalse(agent.healthy());
  }

  @Test
  void registersADeletedNodeAgainAndRepublishesItsMirrors() throws Exception {
    store.update(web, MockApi.running(0));
    ClusterAgent agent = agent(MockApi.fastSettings(true), client);
    agent.start();
    eventually().until(() -> node() != null && mirror() != null);
    String firstUid = node().getMetadata().getUid();
    String firstMirror = mirror().getMetadata().getUid();

    client.nodes().withName(NODE).delete();
    client
        .pods()
        .inNamespace("default")
        .withName(web.key().name())
        .delete(); // the garbage collector's part

    eventually().until(() -> node() != null && !node().getMetadata().getUid().equals(firstUid));
    String secondUid = node().getMetadata().getUid();
    eventually().until(() -> mirrorRunningOwnedBy(secondUid));
    assertNotEquals(firstMirror, mirror().getMetadata().getUid());
    eventually()
        .until(() -> secondUid.equals(lease().getMetadata().getOwnerReferences().get(0).getUid()));
  }

  @Test
  void replacesMirrorsStillOwnedByADeletedNode() throws Exception {
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
  void usesAnExistingNodeWithoutRegisteringWhenRegistrationIsOff() throws Exception {
    String existing = MockApi.createNode(client, NODE).getMetadata().getUid();
    store.update(web, MockApi.running(0));

    agent(MockApi.fastSettings(false), client).start();

    eventually().until(() -> mirrorRunningOwnedBy(existing));
    assertEquals(existing, node().getMetadata().getUid());
  }

  @Test
  void waitsForTheNodeWhenRegistrationIsOffAndThereIsNone() throws Exception {
    store.update(web, MockApi.running(0));
    ClusterAgent agent = agent(MockApi.fastSettings(false), client);

    agent.start();

    eventually()
        .until(
            () ->
                agent
                    .mirrorSync()
                    .map(sync -> sync.mirrorError(web.key()))
                    .orElse("")
                    .contains("Node"));
    assertNull(node());
    assertNull(mirror());
    assertFalse(agent.healthy());

    String created = MockApi.createNode(client, NODE).getMetadata().getUid();
    eventually().until(() -> mirrorRunningOwnedBy(created));
  }

  @Test
  void startReturnsAtOnceAndKeepsTryingWhileTheApiServerIsDown() throws Exception {
    KubernetesClient unreachable =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("https://127.0.0.1:1")
                    .withTrustCerts(true)
                    .withRequestRetryBackoffLimit(0)
                    .withConnectionTimeout(1000)
                    .withRequestTimeout(1000)
                    .build())
            .build();
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
  void closingLeavesNodeLeaseAndMirrorsInPlace() throws Exception {
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
    Path kubeconfig =
        MockApi.tokenKubeconfig(dir.resolve("kubelet.conf"), client.getMasterUrl().toString());
    ClusterAgent agent =
        agent(
            MockApi.wiring(
                ClusterSettings.defaults(NODE, "10.0.0.5"),
                credentials(kubeconfig),
                store,
                key -> false,
                MockApi.mockServerCollaborators()));

    agent.start();

    eventually().until(() -> ready(node()));
    eventually().until(() -> lease() != null);
  }
}
