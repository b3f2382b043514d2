package io.staticlet.e2e.cluster;

import static io.staticlet.e2e.cluster.NodeUnderTest.containerIds;
import static io.staticlet.e2e.cluster.NodeUnderTest.restarts;
import static io.staticlet.e2e.cluster.NodeUnderTest.runningAndReady;
import static io.staticlet.e2e.cluster.NodeUnderTest.uid;
import static io.staticlet.e2e.cluster.NodeUnderTest.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.e2e.controlplane.ControlPlaneExtension;
import io.staticlet.testkit.ControlPlane;
import io.staticlet.testkit.Kubectl;
import io.staticlet.testkit.Manifests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Issue #4 acceptance 2, 3, 4 and 8: read-only mirror pods as kubectl shows them. */
@ExtendWith(ControlPlaneExtension.class)
class MirrorPodIT {
  @TempDir Path work;
  private NodeUnderTest n;

  @BeforeEach
  void startAgent(ControlPlane cp) {
    n = NodeUnderTest.create(cp, work);
    n.start();
  }

  @AfterEach
  void stopAgent() {
    if (n != null) {
      n.close();
      n = null;
    }
  }

  private Pod publishedService(String name) {
    n.runService(name);
    within(Duration.ofSeconds(30)).until(() -> runningAndReady(n.mirror(name)));
    return n.mirrorOrFail(name);
  }

  @Test
  void kubectlDescribeOfTheMirrorListsTheKubeletsEvents() {
    publishedService("web");

    within(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              String described = n.kubectl("describe", "pod", n.podName("web")).orThrow().stdout();
              assertTrue(
                  described.contains("Created container app")
                      && described.contains("Started container app"),
                  described);
            });
    String events =
        n.kubectl(
                "get",
                "events",
                "--field-selector",
                "involvedObject.name=" + n.podName("web"),
                "-o",
                "jsonpath={range .items[*]}{.type}/{.reason}/{.source.component}/{.source.host}/{.involvedObject.fieldPath} {end}")
            .orThrow()
            .stdout();
    assertTrue(
        events.contains("Normal/Started/kubelet/" + n.node + "/spec.containers{app}"), events);
  }

  @Test
  void mirrorShowsThePodRunningOnTheNodeWithDockersContainerIds() {
    Pod mirror = publishedService("web");

    String row =
        Arrays.stream(
                n.kubectl("get", "pods", "-o", "wide", "--no-headers")
                    .orThrow()
                    .stdout()
                    .split("\n"))
            .filter(l -> l.startsWith(n.podName("web") + " "))
            .findFirst()
            .orElseThrow();
    String[] cols = row.trim().split("\\s+"); // NAME READY STATUS RESTARTS AGE IP NODE ...
    assertEquals("1/1", cols[1], row);
    assertEquals("Running", cols[2], row);
    assertEquals(n.node, cols[6], row);

    Map<String, String> annotations = mirror.getMetadata().getAnnotations();
    assertEquals(
        annotations.get("kubernetes.io/config.hash"),
        annotations.get("kubernetes.io/config.mirror"));
    assertEquals("file", annotations.get("kubernetes.io/config.source"));
    assertEquals(
        n.agent.pod(n.podName("web")).orElseThrow().getMetadata().getUid(),
        annotations.get("kubernetes.io/config.hash"),
        "config.hash is the static pod's UID");
    assertEquals(1, mirror.getMetadata().getOwnerReferences().size());
    OwnerReference owner = mirror.getMetadata().getOwnerReferences().get(0);
    assertEquals("Node", owner.getKind());
    assertEquals(n.node, owner.getName());
    assertEquals(n.nodeObject().orElseThrow().getMetadata().getUid(), owner.getUid());
    assertTrue(owner.getController());
    assertEquals(n.runningAppContainers("web"), containerIds(mirror));

    String metrics = n.agent.metrics();
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("staticlet_api_requests_total{")
                        && l.contains("code=\"2xx\"")
                        && l.contains("resource=\"nodes\"")
                        && l.contains("verb=\"create\"")),
        metrics);
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("staticlet_mirror_write_duration_seconds_count{")
                        && l.contains("operation=\"create\"")
                        && l.contains("result=\"ok\"")
                        && !l.endsWith(" 0.0")),
        metrics);
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("staticlet_mirror_write_duration_seconds_count{")
                        && l.contains("operation=\"status\"")),
        "status writes are timed: " + metrics);
  }

  @Test
  void kubectlDeleteReturnsPromptlyAndANewMirrorIsBackWithinASecond() {
    Pod before = publishedService("web");
    Set<String> containers = n.runningAppContainers("web");

    long t0 = System.nanoTime();
    Kubectl.Result delete = n.kubectl("delete", "pod", n.podName("web"));
    long tookMillis = (System.nanoTime() - t0) / 1_000_000;

    assertTrue(delete.succeeded(), delete::toString);
    assertTrue(tookMillis < 2000, "kubectl delete took " + tookMillis + " ms");
    within(Duration.ofSeconds(1))
        .until(
            () ->
                n.mirror("web")
                    .filter(
                        m ->
                            !uid(m).equals(uid(before))
                                && m.getMetadata().getDeletionTimestamp() == null)
                    .isPresent());
    within(Duration.ofSeconds(5)).until(() -> runningAndReady(n.mirror("web")));
    Pod after = n.mirrorOrFail("web");
    assertEquals(containers, n.runningAppContainers("web"), "containers are not touched");
    assertEquals(containers, containerIds(after));
    assertEquals(restarts(before), restarts(after));
    System.out.printf("graceful kubectl delete returned in %d ms%n", tookMillis);
  }

  @Test
  void forcedKubectlDeleteAlsoGetsANewMirrorWithinASecond() {
    Pod before = publishedService("web");
    Set<String> containers = n.runningAppContainers("web");

    Kubectl.Result delete =
        n.kubectl("delete", "pod", n.podName("web"), "--force", "--grace-period=0");

    assertTrue(delete.succeeded(), delete::toString);
    within(Duration.ofSeconds(1))
        .until(() -> n.mirror("web").filter(m -> !uid(m).equals(uid(before))).isPresent());
    within(Duration.ofSeconds(5)).until(() -> runningAndReady(n.mirror("web")));
    assertEquals(containers, n.runningAppContainers("web"));
    assertEquals(restarts(before), restarts(n.mirrorOrFail("web")));
  }

  @Test
  void editingTheManifestReplacesTheMirrorWithANewUidAndHash() {
    Pod before = publishedService("web");
    String oldHash = before.getMetadata().getAnnotations().get("kubernetes.io/config.hash");

    n.write("web", Manifests.pod("web", "trap 'exit 0' TERM; while true; do sleep 2; done"));

    within(Duration.ofSeconds(30))
        .until(
            () ->
                n.mirror("web")
                    .filter(
                        m ->
                            !oldHash.equals(
                                m.getMetadata().getAnnotations().get("kubernetes.io/config.hash")))
                    .filter(m -> runningAndReady(java.util.Optional.of(m)))
                    .isPresent());
    Pod after = n.mirrorOrFail("web");
    assertNotEquals(uid(before), uid(after));
    String newHash = after.getMetadata().getAnnotations().get("kubernetes.io/config.hash");
    assertEquals(newHash, after.getMetadata().getAnnotations().get("kubernetes.io/config.mirror"));
    assertEquals(n.agent.pod(n.podName("web")).orElseThrow().getMetadata().getUid(), newHash);
    assertEquals(n.runningAppContainers("web"), containerIds(after));
  }

  @Test
  void deletingTheManifestRemovesTheMirrorOnlyAfterTheContainersStopped() {
    // ignores SIGTERM: stopping takes the whole 5 s grace period
    n.write("slow", Manifests.pod("slow", "trap '' TERM; while true; do sleep 1; done"));
    within(Duration.ofSeconds(30)).until(() -> runningAndReady(n.mirror("slow")));

    n.remove("slow");

    // during the grace period the old containers run and the mirror still shows them
    within(Duration.ofSeconds(10))
        .during(Duration.ofSeconds(3))
        .until(() -> n.mirror("slow").isPresent() && !n.runningAppContainers("slow").isEmpty());
    within(Duration.ofSeconds(30)).until(() -> n.mirror("slow").isEmpty());
    assertTrue(
        n.runningAppContainers("slow").isEmpty(),
        "the mirror is deleted after the containers stopped");
  }

  @Test
  void theMirrorAnnotationIsImmutableAndLabelsOrAnnotationsLeaveContainersAlone() {
    Pod before = publishedService("web");
    Set<String> containers = n.runningAppContainers("web");

    Kubectl.Result overwrite =
        n.kubectl(
            "annotate", "--overwrite", "pod", n.podName("web"), "kubernetes.io/config.mirror=foo");
    assertFalse(overwrite.succeeded(), overwrite::toString);

    n.kubectl("label", "pod", n.podName("web"), "team=storage").orThrow();
    n.kubectl("annotate", "pod", n.podName("web"), "note=hello").orThrow();

    within(Duration.ofSeconds(15))
        .during(Duration.ofSeconds(3))
        .until(() -> runningAndReady(n.mirror("web")));
    Pod after = n.mirrorOrFail("web");
    assertEquals(uid(before), uid(after), "labels and annotations do not make us re-publish");
    assertEquals("storage", after.getMetadata().getLabels().get("team"));
    assertEquals("hello", after.getMetadata().getAnnotations().get("note"));
    assertEquals(containers, n.runningAppContainers("web"));
  }

  @Test
  void changingAnImageOnTheMirrorMakesTheAgentRepublishWhatReallyRuns() {
    Pod before = publishedService("web");
    Set<String> containers = n.runningAppContainers("web");

    n.kubectl("set", "image", "pod/" + n.podName("web"), "app=staticlet/busybox:not-running")
        .orThrow();

    within(Duration.ofSeconds(10))
        .until(() -> n.mirror("web").filter(m -> !uid(m).equals(uid(before))).isPresent());
    within(Duration.ofSeconds(10)).until(() -> runningAndReady(n.mirror("web")));
    Pod after = n.mirrorOrFail("web");
    assertEquals(Manifests.IMAGE, after.getSpec().getContainers().get(0).getImage());
    assertEquals(containers, n.runningAppContainers("web"), "the containers are never touched");
  }

  @Test
  void aPodInAMissingNamespaceRunsShowsTheErrorAndGetsItsMirrorOnceTheNamespaceExists() {
    String ns = "e2e-ns-" + n.node.substring(4);
    n.write(
        "db",
        Manifests.service("db")
            .replace("metadata:\n  name: db", "metadata:\n  name: db\n  namespace: " + ns));

    within(Duration.ofSeconds(30)).until(() -> !n.runningAppContainers("db").isEmpty());
    within(Duration.ofSeconds(30))
        .until(
            () ->
                n.agent
                    .pod(n.podName("db"))
                    .map(
                        p ->
                            p.getMetadata()
                                .getAnnotations()
                                .getOrDefault("staticlet.io/mirror-error", ""))
                    .filter(e -> e.contains("not found"))
                    .isPresent());
    assertNull(n.mirror(ns, n.podName("db")).orElse(null));

    n.kubectl("create", "namespace", ns).orThrow();
    try {
      within(Duration.ofSeconds(45)).until(() -> runningAndReady(n.mirror(ns, n.podName("db"))));
      within(Duration.ofSeconds(10))
          .until(
              () ->
                  n.agent
                      .pod(n.podName("db"))
                      .map(
                          p ->
                              !p.getMetadata()
                                  .getAnnotations()
                                  .containsKey("staticlet.io/mirror-error"))
                      .orElse(false));
    } finally {
      n.kubectl("delete", "namespace", ns, "--wait=false");
    }
  }
}
