package io.staticlet.testkit;

import static io.staticlet.testkit.ApiObjects.uniqueName;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The harness's kube-controller-manager really runs: namespace deletion finishes and dependents of
 * a deleted Node are garbage-collected, what the e2e mirror tests rely on (a deleted Node's mirrors
 * go, a mirror in a new namespace appears), pinned here so that a harness fault is not taken for
 * the agent's. (A Node that stops reporting becomes Unknown: e2e's NodeHeartbeatIT, with a killed
 * agent.)
 */
@ExtendWith(SharedControlPlane.class)
class ControlPlaneGarbageCollectionIT {

  /** The garbage collector needs discovery and informers for every resource; allow for that. */
  private static final Duration GC_TIMEOUT = Duration.ofSeconds(90);

  @BeforeAll
  static void defaultServiceAccountExists(ControlPlane cp) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> cp.kubectl("get", "serviceaccount", "default", "-n", "default").succeeded());
  }

  @Test
  void deletingANamespaceCompletes(ControlPlane cp) {
    String ns = uniqueName("e2e-ns");
    cp.kubectlWithInput(ApiObjects.namespace(ns), "create", "-f", "-").orThrow();
    cp.kubectl("create", "configmap", "content", "-n", ns, "--from-literal=k=v").orThrow();
    // the service-account controller must populate the namespace before a pod is admitted
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> cp.kubectl("get", "serviceaccount", "default", "-n", ns).succeeded());
    cp.kubectlWithInput(ApiObjects.pod(ns, "unscheduled", null), "create", "-f", "-").orThrow();

    cp.kubectl("delete", "namespace", ns, "--wait=false").orThrow();

    await()
        .atMost(GC_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> notFound(cp.kubectl("get", "namespace", ns)));
  }

  @Test
  void podAndConfigMapOwnedByADeletedNodeAreGarbageCollected(ControlPlane cp) {
    String node = uniqueName("gc-node");
    cp.kubectlWithInput(ApiObjects.node(node), "create", "-f", "-").orThrow();
    String uid =
        cp.kubectl("get", "node", node, "-o", "jsonpath={.metadata.uid}")
            .orThrow()
            .stdout()
            .strip();
    assertFalse(uid.isEmpty());

    String pod = uniqueName("owned-pod");
    String configMap = uniqueName("owned-cm");
    cp.kubectlWithInput(ApiObjects.podOwnedByNode("default", pod, node, uid), "create", "-f", "-")
        .orThrow();
    cp.kubectlWithInput(
            ApiObjects.configMapOwnedByNode("default", configMap, node, uid), "create", "-f", "-")
        .orThrow();

    Kubectl.Result deleted = cp.kubectl("delete", "node", node);
    assertTrue(deleted.succeeded(), deleted::toString);

    // a ConfigMap has no grace period: only the garbage collector can remove it
    await("configmap owned by deleted node is collected")
        .atMost(GC_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> notFound(cp.kubectl("get", "configmap", configMap, "-n", "default")));
    // the bound pod: garbage collector (graceful delete) plus pod GC for pods of vanished nodes
    await("pod owned by deleted node is collected")
        .atMost(GC_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> notFound(cp.kubectl("get", "pod", pod, "-n", "default")));
  }

  static boolean notFound(Kubectl.Result get) {
    if (get.succeeded()) {
      return false;
    }
    if (get.stderr().contains("NotFound") || get.stderr().contains("not found")) {
      return true;
    }
    throw new IllegalStateException("unexpected kubectl failure: " + get);
  }
}
