package io.staticlet.e2e.cluster;

import static io.staticlet.e2e.cluster.NodeUnderTest.runningAndReady;
import static io.staticlet.e2e.cluster.NodeUnderTest.uid;
import static io.staticlet.e2e.cluster.NodeUnderTest.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.e2e.controlplane.ControlPlaneExtension;
import io.staticlet.testkit.ControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #4 acceptance 1 and 6: the Node, its heartbeat, a Node deleted under a running agent, a
 * Node whose agent died.
 */
@ExtendWith(ControlPlaneExtension.class)
class NodeHeartbeatIT {
  @TempDir Path work;
  private final List<NodeUnderTest> nodes = new ArrayList<>();

  @AfterEach
  void stopAgents() {
    nodes.forEach(NodeUnderTest::close);
  }

  private NodeUnderTest node(ControlPlane cp, String... args) {
    NodeUnderTest n = NodeUnderTest.create(cp, work, args);
    nodes.add(n);
    return n;
  }

  /** {@code kubectl get node <node> --no-headers}: NAME STATUS ROLES AGE VERSION. */
  private static String[] getNode(NodeUnderTest n) {
    var r = n.kubectl("get", "node", n.node, "--no-headers");
    return r.succeeded() ? r.stdout().strip().split("\\s+") : new String[0];
  }

  private static Instant renewTime(NodeUnderTest n) {
    var r =
        n.kubectl(
            "get", "lease", "-n", "kube-node-lease", n.node, "-o", "jsonpath={.spec.renewTime}");
    return r.succeeded() && !r.stdout().isBlank()
        ? Instant.parse(r.stdout().strip())
        : Instant.EPOCH;
  }

  @Test
  void nodeIsReadyWithin10SecondsOfStartAndItsLeaseIsRenewedEvery10Seconds(ControlPlane cp) {
    NodeUnderTest n = node(cp);
    n.runService("web");
    long started = System.nanoTime();
    n.start();

    within(Duration.ofSeconds(30))
        .until(
            () -> {
              String[] row = getNode(n);
              return row.length >= 5 && row[1].equals("Ready");
            });
    long readyMillis = (System.nanoTime() - started) / 1_000_000;
    System.out.printf("node Ready %d ms after the agent process was started%n", readyMillis);
    assertTrue(
        readyMillis <= 10_000,
        "kubectl get nodes shows Ready " + readyMillis + " ms after the agent was started");
    String[] row = getNode(n);
    assertTrue(
        row[4].startsWith("v1.20.2+staticlet"), () -> "VERSION column: " + String.join(" ", row));

    within(Duration.ofSeconds(15)).until(() -> renewTime(n).isAfter(Instant.EPOCH));
    Instant first = renewTime(n);
    within(Duration.ofSeconds(15)).until(() -> renewTime(n).isAfter(first));
    Instant second = renewTime(n);
    within(Duration.ofSeconds(15)).until(() -> renewTime(n).isAfter(second));
    Duration period = Duration.between(second, renewTime(n));
    assertTrue(
        period.compareTo(Duration.ofSeconds(7)) >= 0
            && period.compareTo(Duration.ofSeconds(13)) <= 0,
        "lease renewed every ~10 s, saw " + period);
    assertEquals(
        n.nodeObject().orElseThrow().getMetadata().getUid(),
        n.kubectl(
                "get",
                "lease",
                "-n",
                "kube-node-lease",
                n.node,
                "-o",
                "jsonpath={.metadata.ownerReferences[0].uid}")
            .orThrow()
            .stdout()
            .strip());
  }

  @Test
  void stoppingTheAgentLeavesItsPodsRunning(ControlPlane cp) {
    NodeUnderTest n = node(cp);
    n.start();
    n.runService("web");
    within(Duration.ofSeconds(30)).until(() -> runningAndReady(n.mirror("web")));
    Set<String> before = n.runningAppContainers("web");
    assertFalse(before.isEmpty());

    n.agent.stop();

    assertEquals(before, n.runningAppContainers("web"));
    assertTrue(n.mirror("web").isPresent(), "the mirror stays while the agent is away");
  }

  @Test
  void aDeletedNodeComesBackAndSoDoItsMirrors(ControlPlane cp) {
    NodeUnderTest n = node(cp);
    n.start();
    n.runService("web");
    within(Duration.ofSeconds(30)).until(() -> runningAndReady(n.mirror("web")));
    String nodeUid = n.nodeObject().orElseThrow().getMetadata().getUid();
    String mirrorUid = uid(n.mirrorOrFail("web"));
    Set<String> containers = n.runningAppContainers("web");

    n.kubectl("delete", "node", n.node).orThrow();

    within(Duration.ofSeconds(15))
        .until(
            () ->
                n.nodeObject().filter(o -> !o.getMetadata().getUid().equals(nodeUid)).isPresent());
    String newNodeUid = n.nodeObject().orElseThrow().getMetadata().getUid();
    within(Duration.ofSeconds(60))
        .until(
            () -> {
              var m = n.mirror("web");
              return runningAndReady(m) && ownerUid(m.get()).equals(newNodeUid);
            });
    assertNotEquals(mirrorUid, uid(n.mirrorOrFail("web")));
    within(Duration.ofSeconds(15))
        .until(() -> getNode(n).length >= 2 && getNode(n)[1].equals("Ready"));
    assertEquals(
        containers,
        n.runningAppContainers("web"),
        "containers are never touched by mirror or node work");
  }

  /**
   * The node lifecycle controller's side, as a user sees it: a node whose agent died goes Unknown,
   * and back.
   */
  @Test
  void aKilledAgentsNodeGoesUnknownWhileItsPodsRunAndIsReadyOnceTheAgentIsBack(ControlPlane cp) {
    NodeUnderTest n = node(cp);
    n.start();
    n.runService("web");
    within(Duration.ofSeconds(30)).until(() -> runningAndReady(n.mirror("web")));
    Set<String> containers = n.runningAppContainers("web");

    n.agent.kill();

    // no heartbeat for --node-monitor-grace-period (40 s): Ready Unknown, the unreachable taint
    within(Duration.ofSeconds(100)).until(() -> "Unknown".equals(readyStatus(n)));
    assertTrue(taints(n).contains("node.kubernetes.io/unreachable"), taints(n));
    assertTrue(n.mirror("web").isPresent(), "the mirror stays");
    assertEquals(containers, n.runningAppContainers("web"), "the pods run on without their agent");

    n.agent.start();

    within(Duration.ofSeconds(30))
        .until(() -> "True".equals(readyStatus(n)) && !taints(n).contains("unreachable"));
    within(Duration.ofSeconds(30)).until(() -> runningAndReady(n.mirror("web")));
    assertEquals(
        containers,
        n.runningAppContainers("web"),
        "the restarted agent adopted the running containers");
  }

  private static String readyStatus(NodeUnderTest n) {
    return n.kubectl(
            "get",
            "node",
            n.node,
            "-o",
            "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
        .orThrow()
        .stdout()
        .strip();
  }

  private static String taints(NodeUnderTest n) {
    return n.kubectl("get", "node", n.node, "-o", "jsonpath={.spec.taints[*].key}")
        .orThrow()
        .stdout();
  }

  @Test
  void withRegisterNodeFalseTheAgentUsesTheNodeAnAdminCreated(ControlPlane cp) {
    NodeUnderTest n = node(cp, "--register-node=false");
    cp.kubectlWithInput(
            "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + n.node + "\"}}",
            "create",
            "-f",
            "-")
        .orThrow();
    String nodeUid = n.nodeObject().orElseThrow().getMetadata().getUid();
    n.runService("web");

    n.start();

    within(Duration.ofSeconds(30)).until(() -> runningAndReady(n.mirror("web")));
    assertEquals(nodeUid, ownerUid(n.mirrorOrFail("web")));
    assertEquals(
        nodeUid,
        n.nodeObject().orElseThrow().getMetadata().getUid(),
        "the agent did not create another Node");
  }

  private static String ownerUid(Pod mirror) {
    List<OwnerReference> owners = mirror.getMetadata().getOwnerReferences();
    return owners == null || owners.isEmpty() ? "" : owners.get(0).getUid();
  }
}
