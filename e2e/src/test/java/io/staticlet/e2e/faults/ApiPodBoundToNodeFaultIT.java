package io.staticlet.e2e.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.e2e.controlplane.ControlPlaneExtension;
import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.ApiClient;
import io.staticlet.testkit.ControlPlane;
import io.staticlet.testkit.DockerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 11: a pod created through the API with {@code spec.nodeName} = this node (what a DaemonSet
 * such as kubeadm's kube-proxy does) is marked Failed with a reason by the agent, never left
 * Pending.
 */
@ExtendWith(ControlPlaneExtension.class)
class ApiPodBoundToNodeFaultIT {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  @TempDir Path work;
  private final FaultNode faultNode = new FaultNode();
  private final String node = faultNode.name;
  private AgentProcess agent;
  private ControlPlane cp;

  @AfterEach
  void tearDown() {
    faultNode.close();
    if (cp != null) {
      cp.kubectl("delete", "pod", "api-pod-" + node, "--wait=false", "--ignore-not-found");
      cp.kubectl("delete", "node", node, "--wait=false", "--ignore-not-found");
    }
  }

  @Test
  void anApiPodBoundToThisNodeIsMarkedFailedWithAReason(ControlPlane cp) throws Exception {
    this.cp = cp;
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    agent =
        faultNode.start(
            new AgentProcess(
                node,
                manifests,
                work,
                List.of(
                    "--kubeconfig", cp.nodeKubeconfig(node).toString(), "--node-ip", "127.0.0.1")));
    ApiClient admin = cp.adminApi();
    await("node registered")
        .atMost(Duration.ofSeconds(60))
        .until(() -> admin.get("/api/v1/nodes/" + node).status() == 200);

    String name = "api-pod-" + node;
    String body =
        """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default"},
         "spec":{"nodeName":"%s","containers":[{"name":"c","image":"staticlet/busybox:1.36","command":["sleep","3600"]}]}}
        """
            .formatted(name, node);
    Instant created = Instant.now();
    ApiClient.Response r = admin.post("/api/v1/namespaces/default/pods", body);
    assertEquals(201, r.status(), r.toString());

    Pod failed =
        await("the API pod is marked Failed")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    JSON.readValue(
                        admin.get("/api/v1/namespaces/default/pods/" + name).body(), Pod.class),
                p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()));
    System.out.printf(
        "API pod %s: phase=%s reason=%s message=%s after %d ms%n",
        name,
        failed.getStatus().getPhase(),
        failed.getStatus().getReason(),
        failed.getStatus().getMessage(),
        Duration.between(created, Instant.now()).toMillis());
    assertEquals("StaticPodsOnly", failed.getStatus().getReason());
    assertTrue(
        failed.getStatus().getMessage().startsWith("Pod ")
            && failed.getStatus().getMessage().contains(node),
        failed.getStatus().getMessage());
    String kubectl = cp.kubectl("get", "pod", name, "--no-headers").orThrow().stdout();
    System.out.println("kubectl get pod: " + kubectl.strip());
    assertTrue(kubectl.contains("StaticPodsOnly"), kubectl);
    assertTrue(DockerCli.containersOfNode(node).isEmpty(), "nothing of it runs on the node");
  }
}
