package io.staticlet.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.staticlet.core.testing.ManualClock;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NodeFactoryTest {
  static final HostInfo HOST =
      new HostInfo(
          "linux",
          "amd64",
          "5.10.0-28-amd64",
          "Debian GNU/Linux 12 (bookworm)",
          "0123456789abcdef0123456789abcdef",
          "",
          "5c5d4b6e-1f7a-4d43-9a3c-6c5f3f4e2a10",
          4,
          8L * 1024 * 1024 * 1024);

  /** semver.org's regular expression, with kubectl's leading "v". */
  private static final Pattern SEMVER =
      Pattern.compile(
          "^v(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
              + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
              + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");

  private final ManualClock clock = new ManualClock();
  private String runtime = "20.10.24";
  private final NodeFactory factory =
      new NodeFactory(ClusterSettings.defaults("node1", "10.0.0.5"), HOST, () -> runtime, clock);

  private static NodeCondition condition(NodeStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void kubeletVersionIsSemverNamingStaticlet() {
    assertTrue(SEMVER.matcher(NodeFactory.KUBELET_VERSION).matches(), NodeFactory.KUBELET_VERSION);
    assertTrue(
        NodeFactory.KUBELET_VERSION.startsWith("v1.20.2+staticlet-"), NodeFactory.KUBELET_VERSION);
  }

  @Test
  void initialNodeCarriesKubeletLabelsAddressesCapacityAndReadyConditions() {
    Node node = factory.initialNode();

    assertEquals("node1", node.getMetadata().getName());
    assertEquals("node1", node.getMetadata().getLabels().get("kubernetes.io/hostname"));
    assertEquals("linux", node.getMetadata().getLabels().get("kubernetes.io/os"));
    assertEquals("amd64", node.getMetadata().getLabels().get("beta.kubernetes.io/arch"));
    assertEquals(
        "true",
        node.getMetadata()
            .getAnnotations()
            .get("volumes.kubernetes.io/controller-managed-attach-detach"));
    NodeStatus status = node.getStatus();
    assertEquals("InternalIP", status.getAddresses().get(0).getType());
    assertEquals("10.0.0.5", status.getAddresses().get(0).getAddress());
    assertEquals("Hostname", status.getAddresses().get(1).getType());
    assertEquals("4", status.getCapacity().get("cpu").toString());
    assertEquals("8388608Ki", status.getCapacity().get("memory").toString());
    assertEquals(
        "8286208Ki",
        status.getAllocatable().get("memory").toString(),
        "less the 100Mi eviction threshold");
    assertEquals("110", status.getCapacity().get("pods").toString());
    assertEquals("docker://20.10.24", status.getNodeInfo().getContainerRuntimeVersion());
    assertEquals("Debian GNU/Linux 12 (bookworm)", status.getNodeInfo().getOsImage());
    assertEquals(10250, status.getDaemonEndpoints().getKubeletEndpoint().getPort());
    assertEquals("True", condition(status, "Ready").getStatus());
    assertEquals("KubeletReady", condition(status, "Ready").getReason());
    assertEquals("KubeletHasSufficientMemory", condition(status, "MemoryPressure").getReason());
    assertEquals("False", condition(status, "DiskPressure").getStatus());
    assertEquals("KubeletHasSufficientPID", condition(status, "PIDPressure").getReason());
  }

  @Test
  void heartbeatAloneIsNotAChangeButReadinessIs() {
    NodeStatus first = factory.status(null);
    clock.advance(Duration.ofSeconds(10));
    NodeStatus second = factory.status(first);

    assertTrue(NodeFactory.sameIgnoringHeartbeats(first, second));
    assertEquals(
        condition(first, "Ready").getLastTransitionTime(),
        condition(second, "Ready").getLastTransitionTime());
    assertFalse(
        condition(first, "Ready")
            .getLastHeartbeatTime()
            .equals(condition(second, "Ready").getLastHeartbeatTime()));

    runtime = null;
    clock.advance(Duration.ofSeconds(10));
    NodeStatus third = factory.status(second);
    assertFalse(NodeFactory.sameIgnoringHeartbeats(second, third));
    assertEquals("False", condition(third, "Ready").getStatus());
    assertEquals(
        "docker://20.10.24",
        third.getNodeInfo().getContainerRuntimeVersion(),
        "last known version kept");
  }

  @Test
  void runtimeFailureMakesTheNodeNotReady() {
    NodeFactory broken =
        new NodeFactory(
            ClusterSettings.defaults("node1", "10.0.0.5"),
            HOST,
            () -> {
              throw new IllegalStateException("Cannot connect to the Docker daemon");
            },
            clock);

    NodeCondition ready = condition(broken.status(null), "Ready");

    assertEquals("False", ready.getStatus());
    assertEquals("KubeletNotReady", ready.getReason());
    assertTrue(ready.getMessage().contains("Cannot connect to the Docker daemon"));
  }
}
