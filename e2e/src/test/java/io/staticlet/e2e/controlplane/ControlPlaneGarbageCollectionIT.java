package io.staticlet.e2e.controlplane;

import static io.staticlet.e2e.controlplane.Manifests.uniqueName;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.testkit.ControlPlane;
import io.staticlet.testkit.Kubectl;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kube-controller-manager really runs: namespace deletion finishes, dependents of a deleted Node
 * are garbage-collected, and a Node that stops reporting becomes NotReady (Unknown).
 */
@ExtendWith(ControlPlaneExtension.class)
class ControlPlaneGarbageCollectionIT {

    /** The garbage collector needs discovery and informers for every resource; allow for that. */
    private static final Duration GC_TIMEOUT = Duration.ofSeconds(90);

    @BeforeAll
    static void defaultServiceAccountExists(ControlPlane cp) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> cp.kubectl("get", "serviceaccount", "default", "-n", "default").succeeded());
    }

    @Test
    void deletingANamespaceCompletes(ControlPlane cp) {
        String ns = uniqueName("e2e-ns");
        cp.kubectlWithInput(Manifests.namespace(ns), "create", "-f", "-").orThrow();
        cp.kubectl("create", "configmap", "content", "-n", ns, "--from-literal=k=v").orThrow();
        // the service-account controller must populate the namespace before a pod is admitted
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> cp.kubectl("get", "serviceaccount", "default", "-n", ns).succeeded());
        cp.kubectlWithInput(Manifests.pod(ns, "unscheduled", null), "create", "-f", "-").orThrow();

        cp.kubectl("delete", "namespace", ns, "--wait=false").orThrow();

        await().atMost(GC_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> notFound(cp.kubectl("get", "namespace", ns)));
    }

    @Test
    void podAndConfigMapOwnedByADeletedNodeAreGarbageCollected(ControlPlane cp) {
        String node = uniqueName("gc-node");
        cp.kubectlWithInput(Manifests.node(node), "create", "-f", "-").orThrow();
        String uid = cp.kubectl("get", "node", node, "-o", "jsonpath={.metadata.uid}").orThrow().stdout().strip();
        assertFalse(uid.isEmpty());

        String pod = uniqueName("owned-pod");
        String configMap = uniqueName("owned-cm");
        cp.kubectlWithInput(Manifests.podOwnedByNode("default", pod, node, uid), "create", "-f", "-").orThrow();
        cp.kubectlWithInput(Manifests.configMapOwnedByNode("default", configMap, node, uid), "create", "-f", "-").orThrow();

        Kubectl.Result deleted = cp.kubectl("delete", "node", node);
        assertTrue(deleted.succeeded(), deleted::toString);

        // a ConfigMap has no grace period: only the garbage collector can remove it
        await("configmap owned by deleted node is collected").atMost(GC_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> notFound(cp.kubectl("get", "configmap", configMap, "-n", "default")));
        // the bound pod: garbage collector (graceful delete) plus pod GC for pods of vanished nodes
        await("pod owned by deleted node is collected").atMost(GC_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> notFound(cp.kubectl("get", "pod", pod, "-n", "default")));
    }

    @Test
    void nodeThatStopsReportingBecomesNotReady(ControlPlane cp) {
        String node = uniqueName("silent-node");
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Kubectl.Result created = cp.kubectlWithInput(Manifests.readyNode(node, now), "create", "-f", "-");
        assertTrue(created.succeeded(), created::toString);
        assertEquals("True", readyStatus(cp, node), "the node should start Ready");

        // node lifecycle controller: no heartbeat for --node-monitor-grace-period (40 s) -> Unknown
        await("Ready condition becomes Unknown").atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofSeconds(2))
                .until(() -> "Unknown".equals(readyStatus(cp, node)));
        Kubectl.Result taints = cp.kubectl("get", "node", node, "-o", "jsonpath={.spec.taints[*].key}").orThrow();
        assertTrue(taints.stdout().contains("node.kubernetes.io/unreachable"), taints::toString);

        cp.kubectl("delete", "node", node, "--wait=false").orThrow();
    }

    private static String readyStatus(ControlPlane cp, String node) {
        return cp.kubectl("get", "node", node, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
                .orThrow().stdout().strip();
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
