package io.staticlet.testkit;

import static io.staticlet.testkit.ApiObjects.uniqueName;
import static io.staticlet.testkit.ControlPlaneGarbageCollectionIT.notFound;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real API server's graceful deletion, which the CRUD mock cannot emulate (docs/ecosystem.md
 * B.3): a pod bound to a node only gets a deletionTimestamp and stays until it is deleted with
 * grace 0 (what the kubelet, and staticlet for its mirror pods, does).
 */
@ExtendWith(SharedControlPlane.class)
class GracefulDeletionIT {

  private static final String NODE = uniqueName("graceful-node");

  @BeforeAll
  static void nodeExists(ControlPlane cp) {
    // a real Node, so pod GC does not force-delete its pods as orphans
    cp.kubectlWithInput(ApiObjects.node(NODE), "create", "-f", "-").orThrow();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> cp.kubectl("get", "serviceaccount", "default", "-n", "default").succeeded());
  }

  @AfterAll
  static void removeNode(ControlPlane cp) {
    cp.kubectl("delete", "node", NODE, "--wait=false");
  }

  @Test
  void boundPodStaysWithDeletionTimestampUntilDeletedWithGraceZero(ControlPlane cp) {
    String pod = uniqueName("graceful");
    cp.kubectlWithInput(ApiObjects.pod("default", pod, NODE), "create", "-f", "-").orThrow();

    Kubectl.Result delete = cp.kubectl("delete", "pod", pod, "--wait=false");
    assertTrue(delete.succeeded(), delete::toString);

    String[] marks =
        cp.kubectl(
                "get",
                "pod",
                pod,
                "-o",
                "jsonpath={.metadata.deletionTimestamp} {.metadata.deletionGracePeriodSeconds}")
            .orThrow()
            .stdout()
            .strip()
            .split(" ");
    assertEquals(2, marks.length, () -> String.join("|", marks));
    assertFalse(marks[0].isEmpty(), "deletionTimestamp should be set");
    assertEquals("30", marks[1], "default termination grace period");

    // nobody confirms the deletion, so the pod stays
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> cp.kubectl("get", "pod", pod).succeeded());

    Kubectl.Result force = cp.kubectl("delete", "pod", pod, "--grace-period=0", "--force");
    assertTrue(force.succeeded(), force::toString);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> notFound(cp.kubectl("get", "pod", pod)));
  }

  @Test
  void nodeConfirmsDeletionWithGraceZeroAndUidPrecondition(ControlPlane cp) {
    String pod = uniqueName("confirmed");
    cp.kubectlWithInput(ApiObjects.pod("default", pod, NODE), "create", "-f", "-").orThrow();
    String uid =
        cp.kubectl("get", "pod", pod, "-o", "jsonpath={.metadata.uid}").orThrow().stdout().strip();
    cp.kubectl("delete", "pod", pod, "--wait=false").orThrow();

    ApiClient asNode = cp.nodeApi(NODE);
    String path = "/api/v1/namespaces/default/pods/" + pod;
    ApiClient.Response wrongUid =
        asNode.delete(path, ApiObjects.deleteNowWithUid("00000000-0000-0000-0000-000000000000"));
    assertEquals(409, wrongUid.status(), wrongUid::toString);
    assertTrue(
        cp.kubectl("get", "pod", pod).succeeded(), "a failed precondition must not delete the pod");

    ApiClient.Response confirmed = asNode.delete(path, ApiObjects.deleteNowWithUid(uid));
    assertEquals(200, confirmed.status(), confirmed::toString);
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> notFound(cp.kubectl("get", "pod", pod)));
  }
}
