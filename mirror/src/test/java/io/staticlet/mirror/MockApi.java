package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.staticlet.core.events.EventBuffer;
import io.staticlet.core.mirror.LocalPods;
import io.staticlet.core.mirror.MirrorSettings;
import io.staticlet.core.status.ContainerStateValue;
import io.staticlet.core.status.ContainerStatusValue;
import io.staticlet.core.status.PodConditionType;
import io.staticlet.core.status.PodConditionValue;
import io.staticlet.core.status.PodPhase;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodStatusValue;
import io.staticlet.mirror.credentials.NodeCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Fixtures shared by the tests against fabric8's mock API server. */
final class MockApi {
  static final String NODE = "node1";

  private MockApi() {}

  static ClusterSettings settings() {
    return ClusterSettings.defaults(NODE, "10.0.0.5");
  }

  /** Settings with loops fast enough for tests that wait in real time. */
  static ClusterSettings fastSettings(boolean registerNode) {
    return new ClusterSettings(
        new ClusterSettings.NodeIdentity(
            NODE, "10.0.0.5", ClusterSettings.NodeIdentity.KUBELET_PORT),
        new ClusterSettings.Registration(registerNode, true, NodeRegistration.DEFAULT),
        new ClusterSettings.Heartbeats(
            Duration.ofMillis(200), Duration.ofMinutes(5), Duration.ofMillis(200), 40),
        new ClusterSettings.ApiBudget(0, 40));
  }

  /** The mirror loop with two workers and short back-off. */
  static final MirrorSettings FAST_MIRROR =
      new MirrorSettings(
          2,
          Duration.ofSeconds(1),
          Duration.ofMillis(100),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1));

  /** The cluster side's wiring as the app builds it, on test threads and a fixed host. */
  static ClusterWiring wiring(
      ClusterSettings settings,
      NodeCredentials credentials,
      PodStatusStore store,
      LocalPods localPods,
      ClusterWiring.Collaborators collaborators) {
    return new ClusterWiring(
        settings,
        credentials,
        store,
        localPods,
        () -> "20.10.24",
        new EventBuffer(),
        ApiCallObserver.NONE,
        Clock.systemUTC(),
        Thread::new,
        collaborators);
  }

  /**
   * The real collaborators against the mock server: fixed host, no field selector, fast mirror
   * loop.
   */
  static ClusterWiring.Collaborators mockServerCollaborators() {
    return ClusterWiring.Collaborators.real()
        .forMockServer(NodeFactoryTest.HOST)
        .withMirror(FAST_MIRROR);
  }

  /** A kubeconfig of {@code server} with a bearer token, as kubeadm writes one for a node. */
  static Path tokenKubeconfig(Path file, String server) throws IOException {
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: test",
            "  cluster:",
            "    server: " + server.replaceAll("/$", ""),
            "    insecure-skip-tls-verify: true",
            "users:",
            "- name: system:node:" + NODE,
            "  user:",
            "    token: node-token",
            "contexts:",
            "- name: node",
            "  context:",
            "    cluster: test",
            "    user: system:node:" + NODE,
            "current-context: node",
            ""));
    return file;
  }

  static Node createNode(KubernetesClient client, String name) {
    return client
        .nodes()
        .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  static PodStatusValue running(int restarts) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new PodStatusValue(
        PodPhase.RUNNING,
        "",
        "",
        List.of(new PodConditionValue(PodConditionType.READY, true, "", "", t)),
        "10.0.0.5",
        List.of("172.17.0.2"),
        "BestEffort",
        Optional.empty(),
        List.of(),
        List.of(
            new ContainerStatusValue(
                "nginx",
                "nginx:1.25",
                "",
                "docker://abc",
                new ContainerStateValue.Running(t),
                Optional.empty(),
                true,
                true,
                restarts)));
  }

  static Status status(int code, String reason, String message) {
    return new StatusBuilder()
        .withStatus("Failure")
        .withCode(code)
        .withReason(reason)
        .withMessage(message)
        .build();
  }
}
