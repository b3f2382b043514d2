package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.staticlet.core.container.ContainerHash;
import io.staticlet.core.container.ContainerLaunches;
import io.staticlet.core.container.NodeCapacity;
import io.staticlet.core.container.SandboxSpecs;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerLaunch;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.LifecycleHandler;
import io.staticlet.core.runtime.TerminationMessagePolicy;
import io.staticlet.core.volume.PodDirectories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerLabelsTest {
  private static final String UID = "00112233445566778899aabbccddeeff";

  private static ContainerLaunch launch(
      StaticPod pod,
      Container container,
      ContainerRole role,
      int attempt,
      String sandbox,
      Path root) {
    return new ContainerLaunches(
            new PodDirectories(root), root.resolve("seccomp"), new NodeCapacity(1000, 1L << 30))
        .resolve(pod, container, role, attempt, sandbox, "", "10.0.0.1");
  }

  @TempDir Path root;

  private static StaticPod pod(Container... containers) {
    var b =
        TestPods.pod("etcd")
            .namespace("kube-system")
            .uid(UID)
            .grace(45)
            .label("component", "etcd")
            .annotation("team", "infra");
    for (Container c : containers) {
      b.container(c);
    }
    return b.build();
  }

  @Test
  void sandboxCarriesPodLabelsAnnotationsAndIdentity() {
    Map<String, String> labels =
        DockerLabels.forSandbox(
            SandboxSpecs.of(pod(TestPods.container("etcd").build()), 0), "node1");
    assertEquals("etcd", labels.get("component"));
    assertEquals("infra", labels.get("annotation.team"));
    assertEquals(UID, labels.get("annotation.kubernetes.io/config.hash"));
    assertEquals("file", labels.get("annotation.kubernetes.io/config.source"));
    assertTrue(labels.containsKey("annotation.kubernetes.io/config.seen"));
    assertEquals("etcd-node1", labels.get("io.kubernetes.pod.name"));
    assertEquals("kube-system", labels.get("io.kubernetes.pod.namespace"));
    assertEquals(UID, labels.get("io.kubernetes.pod.uid"));
    assertEquals("POD", labels.get("io.kubernetes.container.name"));
    assertEquals("podsandbox", labels.get("io.kubernetes.docker.type"));
    assertEquals("true", labels.get("io.staticlet.managed"));
    assertEquals("node1", labels.get("io.staticlet.node"));
    assertEquals("sandbox", labels.get("io.staticlet.container.role"));
  }

  @Test
  void containerCarriesKubeletAnnotationsButNotPodLabels() {
    Container etcd =
        TestPods.container("etcd")
            .withLifecycle(
                new LifecycleBuilder()
                    .withNewPreStop()
                    .withNewExec()
                    .withCommand("sh", "-c", "sleep 1")
                    .endExec()
                    .endPreStop()
                    .build())
            .withPorts(
                new ContainerPortBuilder()
                    .withName("client")
                    .withContainerPort(2379)
                    .withHostPort(2379)
                    .withProtocol("TCP")
                    .build())
            .build();
    Map<String, String> labels =
        DockerLabels.forContainer(
            launch(pod(etcd), etcd, ContainerRole.APP, 4, "sandbox123", root), "node1");

    assertFalse(labels.containsKey("component"), "pod labels are not copied onto containers");
    assertEquals("etcd", labels.get("io.kubernetes.container.name"));
    assertEquals("etcd-node1", labels.get("io.kubernetes.pod.name"));
    assertEquals("kube-system", labels.get("io.kubernetes.pod.namespace"));
    assertEquals(UID, labels.get("io.kubernetes.pod.uid"));
    assertEquals("container", labels.get("io.kubernetes.docker.type"));
    assertEquals("sandbox123", labels.get("io.kubernetes.sandbox.id"));
    assertEquals(
        "/var/log/pods/kube-system_etcd-node1_" + UID + "/etcd/4.log",
        labels.get("io.kubernetes.container.logpath"));
    assertEquals(ContainerHash.of(etcd), labels.get("annotation.io.kubernetes.container.hash"));
    assertEquals("4", labels.get("annotation.io.kubernetes.container.restartCount"));
    assertEquals(
        "/dev/termination-log",
        labels.get("annotation.io.kubernetes.container.terminationMessagePath"));
    assertEquals("File", labels.get("annotation.io.kubernetes.container.terminationMessagePolicy"));
    assertEquals("45", labels.get("annotation.io.kubernetes.pod.terminationGracePeriod"));
    assertEquals(
        "{\"exec\":{\"command\":[\"sh\",\"-c\",\"sleep 1\"]}}",
        labels.get("annotation.io.kubernetes.container.preStopHandler"));
    assertTrue(
        labels.get("annotation.io.kubernetes.container.ports").contains("\"containerPort\":2379"));
    assertEquals("true", labels.get("io.staticlet.managed"));
    assertEquals("node1", labels.get("io.staticlet.node"));
    assertEquals("app", labels.get("io.staticlet.container.role"));
  }

  @Test
  void omitsPreStopAndPortsWhenAbsent() {
    Container plain = TestPods.container("plain").build();
    Map<String, String> labels =
        DockerLabels.forContainer(
            launch(pod(plain), plain, ContainerRole.INIT, 0, "sb", root), "node1");
    assertFalse(labels.containsKey(DockerLabels.PRE_STOP));
    assertFalse(labels.containsKey(DockerLabels.PORTS));
    assertEquals("init", labels.get(DockerLabels.ROLE));
  }

  @Test
  void readsBackWhatItWrote() {
    Container etcd =
        TestPods.container("etcd")
            .withLifecycle(
                new LifecycleBuilder()
                    .withNewPreStop()
                    .withNewHttpGet()
                    .withPath("/quit")
                    .withNewPort(8080)
                    .endHttpGet()
                    .endPreStop()
                    .build())
            .build();
    StaticPod pod = pod(etcd);
    Map<String, String> labels =
        DockerLabels.forContainer(launch(pod, etcd, ContainerRole.INIT, 2, "sb1", root), "node1");
    var read =
        DockerLabels.read(labels, "/" + DockerNames.container("etcd", pod.key(), UID, 2))
            .orElseThrow();
    assertEquals(new PodKey("kube-system", "etcd-node1"), read.pod());
    assertEquals(UID, read.podUid());
    assertEquals("etcd", read.containerName());
    assertEquals(ContainerRole.INIT, read.role());
    assertEquals(2, read.attempt());
    assertEquals("sb1", read.sandboxId());
    assertEquals(Duration.ofSeconds(45), read.gracePeriod());
    assertEquals(
        Optional.of(new LifecycleHandler.HttpGet("", "", "8080", "/quit", List.of())),
        read.preStop());
    assertEquals("/dev/termination-log", read.terminationMessagePath());
    assertEquals(TerminationMessagePolicy.FILE, read.terminationMessagePolicy());
    assertEquals(ContainerHash.of(etcd), read.hash());

    StaticPod same = pod(TestPods.container("etcd").build());
    var sandbox =
        DockerLabels.read(
                DockerLabels.forSandbox(SandboxSpecs.of(same, 0), "node1"),
                DockerNames.sandbox(same.key(), UID, 3))
            .orElseThrow();
    assertEquals(ContainerRole.SANDBOX, sandbox.role());
    assertEquals(3, sandbox.attempt(), "sandbox attempt comes from the name");
    assertNull(sandbox.gracePeriod());
  }

  @Test
  void anUnreadablePreStopLabelIsAHandlerWithoutAction() {
    Map<String, String> labels =
        new HashMap<>(
            Map.of(
                "io.kubernetes.pod.name",
                "p",
                "io.kubernetes.pod.namespace",
                "ns",
                "io.kubernetes.pod.uid",
                "u",
                "io.kubernetes.container.name",
                "c",
                DockerLabels.PRE_STOP,
                "{not json"));
    assertEquals(
        Optional.of(new LifecycleHandler.Empty()),
        DockerLabels.read(labels, "k8s_c_p_ns_u_0").orElseThrow().preStop());
    labels.remove(DockerLabels.PRE_STOP);
    assertEquals(
        Optional.empty(), DockerLabels.read(labels, "k8s_c_p_ns_u_0").orElseThrow().preStop());
  }

  @Test
  void fallsBackToKubeletLabelsWithoutStaticletRole() {
    Map<String, String> kubelet =
        new HashMap<>(
            Map.of(
                "io.kubernetes.pod.name",
                "p",
                "io.kubernetes.pod.namespace",
                "ns",
                "io.kubernetes.pod.uid",
                "u",
                "io.kubernetes.container.name",
                "POD",
                "io.kubernetes.docker.type",
                "podsandbox"));
    assertEquals(
        ContainerRole.SANDBOX, DockerLabels.read(kubelet, "k8s_POD_p_ns_u_1").orElseThrow().role());
    kubelet.put("io.kubernetes.docker.type", "container");
    kubelet.put("io.kubernetes.container.name", "c");
    var read = DockerLabels.read(kubelet, "k8s_c_p_ns_u_5").orElseThrow();
    assertEquals(ContainerRole.APP, read.role());
    assertEquals(5, read.attempt(), "restart count falls back to the name");
  }

  @Test
  void ignoresContainersWithoutIdentityLabels() {
    assertTrue(DockerLabels.read(Map.of("io.staticlet.managed", "true"), "x").isEmpty());
    assertTrue(DockerLabels.read(null, "x").isEmpty());
  }
}
