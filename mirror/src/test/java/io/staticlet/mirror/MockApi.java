package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;

/** Fixtures shared by the tests against fabric8's mock API server. */
final class MockApi {
  static final String NODE = "node1";

  private MockApi() {}

  static ClusterSettings settings() {
    return ClusterSettings.defaults(Path.of("/unused/kubeconfig"), NODE, "10.0.0.5");
  }

  /** Settings with loops fast enough for tests that wait in real time. */
  static ClusterSettings fastSettings(boolean registerNode) {
    return new ClusterSettings(Path.of("/unused/kubeconfig"), NODE, "10.0.0.5", registerNode, true,
        Duration.ofMillis(200), Duration.ofMinutes(5), Duration.ofMillis(200), 40, 0, 40);
  }

  static Node createNode(KubernetesClient client, String name) {
    return client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  static PodStatus running(int restarts) {
    return new PodStatusBuilder()
        .withPhase("Running")
        .withHostIP("10.0.0.5")
        .withPodIP("172.17.0.2")
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewContainerStatus()
        .withName("nginx").withImage("nginx:1.25").withContainerID("docker://abc").withRestartCount(restarts).withReady(true)
        .withNewState().withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning().endState()
        .endContainerStatus()
        .build();
  }

  static Status status(int code, String reason, String message) {
    return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
  }
}
