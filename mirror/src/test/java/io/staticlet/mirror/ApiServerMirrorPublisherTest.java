package io.staticlet.mirror;

import static io.staticlet.mirror.MockApi.NODE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.staticlet.core.mirror.MirrorSettings;
import io.staticlet.core.mirror.MirrorSync;
import io.staticlet.core.pod.KubeletAnnotations;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.PodStatusRenderer;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.testing.TestPods;
import io.staticlet.core.time.ThreadPoolScheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mirror loop (core's MirrorSync) on top of the real publisher, against fabric8's CRUD mock.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = NodeLikeClient.class)
class ApiServerMirrorPublisherTest {
  KubernetesMockServer server;
  KubernetesClient client;

  private final Clock clock = Clock.systemUTC();
  private final PodStatusStore store = new PodStatusStore();
  private final Set<PodKey> stillLocal = new HashSet<>();
  private final NodeState nodeState = new NodeState(NODE);
  private final StaticPod web = TestPods.pod("web").container("nginx", "nginx:1.25").build();
  private ThreadPoolScheduler scheduler;
  private ApiServerMirrorPublisher publisher;
  private MirrorSync sync;
  private String nodeUid;

  @BeforeEach
  void setUp() {
    nodeUid = MockApi.createNode(client, NODE).getMetadata().getUid();
    nodeState.observed(nodeUid);
    scheduler = new ThreadPoolScheduler(1, Thread::new);
    ApiHealth health = new ApiHealth(clock);
    // the mock answers a spec.nodeName field selector with nothing; other nodes' pods are filtered
    // anyway
    publisher =
        new ApiServerMirrorPublisher(
            client,
            new ApiCalls(ApiRateLimiter.unlimited(), health),
            nodeState,
            health,
            false,
            clock);
    sync =
        new MirrorSync(
            store,
            publisher,
            stillLocal::contains,
            clock,
            scheduler,
            new MirrorSettings(
                2,
                Duration.ofSeconds(10),
                Duration.ofMillis(200),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1)));
  }

  private void start() {
    publisher.start();
    sync.start();
    sync.startWorkers(Thread::new);
  }

  @AfterEach
  void tearDown() {
    sync.close();
    publisher.close();
    scheduler.close();
  }

  /** Generous: the build machine may be busy; the one timing promise is checked separately. */
  private static org.awaitility.core.ConditionFactory eventually() {
    return await().atMost(Duration.ofSeconds(20));
  }

  private Pod serverPod(PodKey key) {
    return client.pods().inNamespace(key.namespace()).withName(key.name()).get();
  }

  private Pod awaitMirrorRunning(PodKey key) {
    eventually()
        .until(
            () -> {
              Pod p = serverPod(key);
              return p != null
                  && p.getStatus() != null
                  && "Running".equals(p.getStatus().getPhase());
            });
    return serverPod(key);
  }

  @Test
  void publishesMirrorWithMirrorAnnotationNodeOwnerAndStatus() {
    start();
    store.update(web, MockApi.running(0));

    Pod mirror = awaitMirrorRunning(web.key());

    assertEquals(
        web.configHash(),
        mirror.getMetadata().getAnnotations().get(KubeletAnnotations.CONFIG_MIRROR));
    assertEquals(
        web.configHash(),
        mirror.getMetadata().getAnnotations().get(KubeletAnnotations.CONFIG_HASH));
    assertEquals(
        "file", mirror.getMetadata().getAnnotations().get(KubeletAnnotations.CONFIG_SOURCE));
    assertEquals(1, mirror.getMetadata().getOwnerReferences().size());
    OwnerReference owner = mirror.getMetadata().getOwnerReferences().get(0);
    assertEquals("v1", owner.getApiVersion());
    assertEquals("Node", owner.getKind());
    assertEquals(NODE, owner.getName());
    assertEquals(nodeUid, owner.getUid());
    assertTrue(owner.getController());
    assertNull(owner.getBlockOwnerDeletion(), "NodeRestriction forbids blockOwnerDeletion");
    assertNotEquals(
        web.uid(), mirror.getMetadata().getUid(), "the server gives the mirror its own UID");
    assertEquals(NODE, mirror.getSpec().getNodeName());
    assertEquals("docker://abc", mirror.getStatus().getContainerStatuses().get(0).getContainerID());
  }

  @Test
  void writesChangedStatusThroughTheStatusSubresource() {
    start();
    store.update(web, MockApi.running(0));
    awaitMirrorRunning(web.key());

    store.update(web, MockApi.running(2));

    eventually()
        .until(
            () ->
                serverPod(web.key()).getStatus().getContainerStatuses().get(0).getRestartCount()
                    == 2);
  }

  @Test
  void republishesADeletedMirrorWithinASecondWithANewUid() {
    start();
    store.update(web, MockApi.running(0));
    String before = awaitMirrorRunning(web.key()).getMetadata().getUid();

    client.pods().inNamespace("default").withName(web.key().name()).delete();

    await()
        .atMost(Duration.ofSeconds(1))
        .until(
            () -> {
              Pod p = serverPod(web.key());
              return p != null
                  && !p.getMetadata().getUid().equals(before)
                  && p.getStatus() != null
                  && "Running".equals(p.getStatus().getPhase());
            });
  }

  @Test
  void replacesAMirrorThatIsBeingDeletedGracefully() {
    start();
    store.update(web, MockApi.running(0));
    String before = awaitMirrorRunning(web.key()).getMetadata().getUid();
    // a finalizer makes the mock keep the pod with a deletionTimestamp, as a real server keeps a
    // bound pod
    client
        .pods()
        .inNamespace("default")
        .withName(web.key().name())
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .addToFinalizers("test.staticlet.io/hold")
                    .endMetadata()
                    .build());

    client.pods().inNamespace("default").withName(web.key().name()).delete();
    eventually().until(() -> serverPod(web.key()).getMetadata().getDeletionTimestamp() != null);
    // the real server would now remove it on our grace-0 delete; the mock waits for the finalizer
    client
        .pods()
        .inNamespace("default")
        .withName(web.key().name())
        .edit(p -> new PodBuilder(p).editMetadata().withFinalizers().endMetadata().build());

    eventually()
        .until(
            () -> {
              Pod p = serverPod(web.key());
              return p != null
                  && !p.getMetadata().getUid().equals(before)
                  && p.getMetadata().getDeletionTimestamp() == null
                  && p.getStatus() != null
                  && "Running".equals(p.getStatus().getPhase());
            });
  }

  @Test
  void republishesAMirrorWhoseImageWasChanged() {
    start();
    store.update(web, MockApi.running(0));
    String before = awaitMirrorRunning(web.key()).getMetadata().getUid();

    client
        .pods()
        .inNamespace("default")
        .withName(web.key().name())
        .edit(
            p ->
                new PodBuilder(p)
                    .editSpec()
                    .editFirstContainer()
                    .withImage("nginx:evil")
                    .endContainer()
                    .endSpec()
                    .build());

    eventually()
        .until(
            () -> {
              Pod p = serverPod(web.key());
              return p != null
                  && !p.getMetadata().getUid().equals(before)
                  && "nginx:1.25".equals(p.getSpec().getContainers().get(0).getImage());
            });
  }

  @Test
  void deletesOrphanedMirrorsOnlyAndLeavesOtherPodsAlone() {
    client.pods().inNamespace("default").resource(podOn("orphan-node1", NODE, true)).create();
    client.pods().inNamespace("default").resource(podOn("other-node2", "node2", true)).create();
    client.pods().inNamespace("default").resource(podOn("api-pod", NODE, false)).create();

    start();

    eventually().until(() -> serverPod(new PodKey("default", "orphan-node1")) == null);
    assertNotNull(
        serverPod(new PodKey("default", "other-node2")), "another node's mirror is not ours");
    assertNotNull(
        serverPod(new PodKey("default", "api-pod")),
        "a pod without the mirror annotation is not a mirror");
  }

  @Test
  void keepsTheMirrorOfAPodTheAgentMayStillRun() {
    stillLocal.add(web.key());
    client
        .pods()
        .inNamespace("default")
        .resource(MirrorPodFactory.mirrorOf(web, NODE, nodeUid))
        .create();
    String uid = serverPod(web.key()).getMetadata().getUid();

    start();
    eventually().until(publisher::cacheSynced);
    store.update(web, MockApi.running(0));

    Pod mirror = awaitMirrorRunning(web.key());
    assertEquals(
        uid, mirror.getMetadata().getUid(), "an agent restart keeps the mirror and its UID");
  }

  @Test
  void showsARefusedCreateOnThePodAndRetries() {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/default/pods")
        .andReturn(
            403,
            MockApi.status(
                403,
                "Forbidden",
                "pods \"web-node1\" is forbidden: violates PodSecurity \"restricted:latest\""))
        .times(2);
    start();

    store.update(web, MockApi.running(0));

    eventually().until(() -> sync.mirrorError(web.key()).contains("violates PodSecurity"));
    awaitMirrorRunning(web.key());
    eventually().until(() -> sync.mirrorError(web.key()).isEmpty());
  }

  @Test
  void showsAMissingNamespaceOnThePod() {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/default/pods")
        .andReturn(404, MockApi.status(404, "NotFound", "namespaces \"default\" not found"))
        .always();
    start();

    store.update(web, MockApi.running(0));

    eventually()
        .until(() -> sync.mirrorError(web.key()).contains("namespaces \"default\" not found"));
    assertNull(serverPod(web.key()));
  }

  @Test
  void deletesWithGraceZeroAndTheMirrorUidAsPrecondition() throws Exception {
    Pod created =
        client
            .pods()
            .inNamespace("default")
            .resource(MirrorPodFactory.mirrorOf(web, NODE, nodeUid))
            .create();

    assertTrue(publisher.delete(web.key(), created.getMetadata().getUid()));

    var request = server.getLastRequest();
    assertEquals("DELETE", request.getMethod());
    assertEquals("/api/v1/namespaces/default/pods/web-node1", request.getPath());
    String body = request.getUtf8Body();
    assertTrue(body.contains("\"gracePeriodSeconds\":0"), body);
    assertTrue(
        body.contains("\"preconditions\":{\"uid\":\"" + created.getMetadata().getUid() + "\"}"),
        body);
    assertFalse(
        publisher.delete(web.key(), created.getMetadata().getUid()),
        "already gone is not an error");
  }

  @Test
  void statusPatchTestsTheMirrorUidThenReplacesTheWholeStatus() {
    String patch =
        publisher.statusPatch("mirror-uid-7", PodStatusRenderer.render(MockApi.running(0)));

    assertTrue(
        patch.startsWith(
            "[{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":\"mirror-uid-7\"},"
                + "{\"op\":\"add\",\"path\":\"/status\",\"value\":{"),
        patch);
    assertTrue(patch.contains("\"phase\":\"Running\""), patch);
  }

  @Test
  void doesNotWriteStatusToAMirrorThatWasReplaced() {
    Pod created =
        client
            .pods()
            .inNamespace("default")
            .resource(MirrorPodFactory.mirrorOf(web, NODE, nodeUid))
            .create();
    server
        .expect()
        .patch()
        .withPath("/api/v1/namespaces/default/pods/web-node1/status")
        .andReturn(
            422,
            MockApi.status(
                422,
                "Invalid",
                "the server rejected our request: testing value /metadata/uid failed"))
        .once();

    assertFalse(publisher.writeStatus(web.key(), "uid-of-an-older-mirror", MockApi.running(0)));
    assertTrue(
        publisher.writeStatus(web.key(), created.getMetadata().getUid(), MockApi.running(0)));
    assertEquals("Running", serverPod(web.key()).getStatus().getPhase());
  }

  private static Pod podOn(String name, String node, boolean mirror) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .addNewContainer()
            .withName("c")
            .withImage("busybox")
            .endContainer()
            .endSpec();
    if (mirror) {
      b.editMetadata().addToAnnotations(KubeletAnnotations.CONFIG_MIRROR, "abc").endMetadata();
    }
    return b.build();
  }
}
