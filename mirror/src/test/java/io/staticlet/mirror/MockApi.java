package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.staticlet.core.status.ContainerStateValue;
import io.staticlet.core.status.ContainerStatusValue;
import io.staticlet.core.status.PodConditionType;
import io.staticlet.core.status.PodConditionValue;
import io.staticlet.core.status.PodPhase;
import io.staticlet.core.status.PodStatusValue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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

  static PodStatusValue running(int restarts) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new PodStatusValue(PodPhase.RUNNING, "", "", List.of(new PodConditionValue(PodConditionType.READY, true, "", "", t)),
        "10.0.0.5", List.of("172.17.0.2"), "BestEffort", Optional.empty(), List.of(),
        List.of(new ContainerStatusValue("nginx", "nginx:1.25", "", "docker://abc", new ContainerStateValue.Running(t),
            Optional.empty(), true, true, restarts)));
  }

  static Status status(int code, String reason, String message) {
    return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
  }
}
