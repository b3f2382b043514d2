package io.staticlet.mirror;

import static io.staticlet.mirror.MockApi.NODE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.ManualScheduler;
import io.staticlet.core.testing.TestPods;
import io.staticlet.mirror.credentials.ClientCertificate;
import io.staticlet.mirror.credentials.CsrClient;
import io.staticlet.mirror.credentials.FakeSigner;
import io.staticlet.mirror.credentials.NodeCredentials;
import io.staticlet.mirror.credentials.TestCa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster connection driven by its credentials against the mock server: TLS bootstrap, rotation
 * at the jittered deadline, retry of a kubeconfig that is not there yet, and a certificate replaced
 * on disk. The credential steps run on a {@link ManualScheduler} (the test decides when a deadline
 * is reached); the cluster loops run in real time.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NodeLikeClient.class)
class ClusterAgentCredentialsTest {
  private static final CsrClient.Pacing FAST =
      new CsrClient.Pacing(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMinutes(1));
  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();
  private final ManualScheduler credentialSteps = new ManualScheduler(new ManualClock());
  private final PodStatusStore store = new PodStatusStore();
  private final StaticPod web = TestPods.pod("web").container("nginx", "nginx:1.25").build();
  private final TestCa ca = new TestCa();
  private ClusterAgent agent;

  @AfterEach
  void close() {
    if (agent != null) {
      agent.close();
    }
  }

  private static ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(20));
  }

  private Path kubeconfig() {
    return dir.resolve("kubelet.conf");
  }

  private ClusterAgent agent(Path bootstrap, boolean rotate) {
    NodeCredentials credentials =
        new NodeCredentials(
            new NodeCredentials.Settings(kubeconfig(), bootstrap, dir.resolve("pki"), rotate, NODE),
            clock,
            ClusterAgent::bootstrapClient,
            FAST);
    agent =
        new ClusterAgent(
            MockApi.wiring(
                MockApi.fastSettings(true),
                credentials,
                store,
                key -> true,
                MockApi.mockServerCollaborators().withCredentialSteps(credentialSteps, () -> 0.5)));
    return agent;
  }

  private Path bootstrapKubeconfig() throws Exception {
    Path file = dir.resolve("bootstrap-kubelet.conf");
    Files.writeString(
        file,
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    insecure-skip-tls-verify: true\n"
            + "    server: "
            + server.url("/")
            + "\n  name: k\ncontexts:\n- context:\n    cluster: k\n    user: b\n  name: b@k\n"
            + "current-context: b@k\nusers:\n- name: b\n  user:\n    token: abcdef.0123456789abcdef\n");
    return file;
  }

  private void kubeconfigNaming(Path cert, Path key) throws Exception {
    Files.writeString(
        kubeconfig(),
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    insecure-skip-tls-verify: true\n"
            + "    server: "
            + server.url("/")
            + "\n  name: k\ncontexts:\n- context:\n    cluster: k\n    user: n\n  name: n@k\n"
            + "current-context: n@k\nusers:\n- name: n\n  user:\n    client-certificate: "
            + cert
            + "\n    client-key: "
            + key
            + "\n");
  }

  private void writeCertificate(Path cert, Path key, ClientCertificate c) throws Exception {
    Files.writeString(cert, c.certificatePem());
    Files.writeString(key, c.keyPem());
  }

  private Lease lease() {
    return client.leases().inNamespace("kube-node-lease").withName(NODE).get();
  }

  private Pod mirror() {
    return client.pods().inNamespace("default").withName(web.key().name()).get();
  }

  private Instant renewTime() {
    Lease lease = lease();
    return lease == null ? Instant.MIN : lease.getSpec().getRenewTime().toInstant();
  }

  @Test
  void bootstrapsThenRotatesAtTheDeadlineAndKeepsTheNodeLeaseAndMirrors() throws Exception {
    store.update(web, MockApi.running(0));
    try (FakeSigner signer = new FakeSigner(client, ca, Duration.ofMinutes(10), false)) {
      ClusterAgent agent = agent(bootstrapKubeconfig(), true);
      agent.start();

      credentialSteps.runDue(); // connect: no kubeconfig, so TLS bootstrap (the signer issues)

      Path current = dir.resolve("pki/kubelet-client-current.pem");
      assertTrue(Files.isSymbolicLink(current));
      assertTrue(Files.readString(kubeconfig()).contains(current.toString()));
      eventually().until(() -> agent.healthy() && mirror() != null && lease() != null);
      Instant firstExpiry = agent.certificateNotAfter().orElseThrow();
      Path firstFile = Files.readSymbolicLink(current);
      String nodeUid = agent.nodeUid().orElseThrow();

      credentialSteps.advance(
          Duration.ofMinutes(9)); // past the deadline: 80 % of the 10 minutes with jitter 0.5

      assertEquals(2, signer.seen.size(), "one CSR for bootstrap, one for the rotation");
      assertNotEquals(firstFile, Files.readSymbolicLink(current));
      Instant secondExpiry = agent.certificateNotAfter().orElseThrow();
      assertTrue(secondExpiry.isAfter(firstExpiry), firstExpiry + " -> " + secondExpiry);
      Instant renewedBefore = renewTime();
      eventually().until(() -> agent.healthy() && renewTime().isAfter(renewedBefore));
      assertEquals(nodeUid, agent.nodeUid().orElseThrow(), "the same Node object");
      assertEquals(nodeUid, mirror().getMetadata().getOwnerReferences().get(0).getUid());
      assertTrue(agent.credentialProblem().isEmpty(), agent.credentialProblem().toString());
      assertEquals(
          1,
          agent.apiHealth().recoveryListeners(),
          "the replaced loops took their listener with them");
    }
  }

  @Test
  void aKubeconfigThatIsNotThereYetIsRetriedWithBackOff() throws Exception {
    ClusterAgent agent = agent(null, false);
    agent.start();

    credentialSteps.runDue();

    assertFalse(agent.connected());
    assertTrue(
        agent.credentialProblem().orElseThrow().contains("does not exist"),
        agent.credentialProblem().toString());
    Path cert = dir.resolve("node.crt");
    Path key = dir.resolve("node.key");
    kubeconfigNaming(cert, key);
    credentialSteps.advance(
        Duration.ofSeconds(1)); // first retry: the certificate file is still missing
    assertFalse(agent.connected());
    assertTrue(
        agent.credentialProblem().orElseThrow().contains("node.crt"),
        agent.credentialProblem().toString());

    writeCertificate(
        cert,
        key,
        ca.nodeCertificate(
            NODE, clock.instant().minusSeconds(1), clock.instant().plusSeconds(3600)));
    credentialSteps.advance(Duration.ofSeconds(2)); // second retry, after the doubled back-off

    assertTrue(agent.connected());
    eventually().until(agent::healthy);
    assertTrue(agent.credentialProblem().isEmpty());
  }

  @Test
  void aCertificateReplacedOnDiskIsPickedUpWithoutARestart() throws Exception {
    Path cert = dir.resolve("node.crt");
    Path key = dir.resolve("node.key");
    writeCertificate(
        cert,
        key,
        ca.nodeCertificate(
            NODE, clock.instant().minusSeconds(1), clock.instant().plusSeconds(3600)));
    kubeconfigNaming(cert, key);
    ClusterAgent agent = agent(null, false);
    agent.start();
    credentialSteps.runDue();
    eventually().until(agent::healthy);
    Instant before = agent.certificateNotAfter().orElseThrow();

    ClientCertificate replacement =
        ca.nodeCertificate(NODE, clock.instant(), clock.instant().plusSeconds(7200));
    writeCertificate(cert, key, replacement);
    credentialSteps.advance(Duration.ofSeconds(10)); // the disk check

    assertEquals(replacement.notAfter(), agent.certificateNotAfter().orElseThrow());
    assertNotEquals(before, agent.certificateNotAfter().orElseThrow());
    eventually().until(agent::healthy);
  }

  @Test
  void anExpiredCertificateWithoutBootstrapIsReportedAndRetried() throws Exception {
    Path cert = dir.resolve("node.crt");
    Path key = dir.resolve("node.key");
    writeCertificate(
        cert,
        key,
        ca.nodeCertificate(
            NODE, clock.instant().minusSeconds(600), clock.instant().minusSeconds(1)));
    kubeconfigNaming(cert, key);
    ClusterAgent agent = agent(null, true);
    agent.start();

    credentialSteps.runDue();

    assertFalse(agent.connected());
    assertTrue(
        agent.credentialProblem().orElseThrow().contains("expired"),
        agent.credentialProblem().toString());
    assertEquals(2, credentialSteps.pending(), "the retry and the disk check are scheduled");
  }

  @Test
  void anApiServerThatTreatsUsAsAnonymousIsACredentialProblem() throws Exception {
    // with anonymous authentication on, a certificate the server does not accept makes us
    // system:anonymous
    server
        .expect()
        .get()
        .withPath("/api/v1/nodes/" + NODE)
        .andReturn(
            403,
            MockApi.status(
                403,
                "Forbidden",
                "nodes \""
                    + NODE
                    + "\" is forbidden: User \"system:anonymous\" cannot get resource \"nodes\" in API group \"\" "
                    + "at the cluster scope"))
        .always();
    Path cert = dir.resolve("node.crt");
    Path key = dir.resolve("node.key");
    writeCertificate(
        cert,
        key,
        ca.nodeCertificate(
            NODE, clock.instant().minusSeconds(1), clock.instant().plusSeconds(3600)));
    kubeconfigNaming(cert, key);
    ClusterAgent agent = agent(null, false);
    agent.start();
    credentialSteps.runDue();

    // (in the mock only that GET is refused, so a later successful call clears it again)
    eventually()
        .until(
            agent::credentialProblem,
            p ->
                p.isPresent()
                    && p.get().contains("refuses our credentials")
                    && p.get().contains("system:anonymous"));
  }

  static String base64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }
}
