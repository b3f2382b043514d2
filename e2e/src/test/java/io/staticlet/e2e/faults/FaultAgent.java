package io.staticlet.e2e.faults;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.DockerCli.Row;
import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.TestInfo;

/**
 * One fault test's agent: the built jar under the shipped JVM settings, its own node name and
 * manifest directory, a 2 s {@code fileCheckFrequency}, started with long-running pods already
 * running (in Docker and in {@code /pods}); and what the user can look at (docker, {@code /pods},
 * {@code /metrics}).
 */
final class FaultAgent {
  final String node = "e2e-fm-" + UUID.randomUUID().toString().substring(0, 8);
  final Path manifests;
  final AgentProcess agent;

  /**
   * Writes one {@link Manifests#service} per name, starts the agent and waits for the pods to run.
   */
  FaultAgent(Path work, String... pods) {
    try {
      manifests = Files.createDirectories(work.resolve("manifests"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String pod : pods) {
      Manifests.write(manifests.resolve(pod + ".yaml"), Manifests.service(pod));
    }
    agent = new AgentProcess(node, manifests, work, List.of("--file-check-frequency", "2s"));
    try {
      agent.start();
      await("pods running: " + List.of(pods))
          .atMost(Duration.ofSeconds(300))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> runningIds().size() == 2 * pods.length && listedRunning(pods));
    } catch (RuntimeException | AssertionError e) {
      agent.close();
      DockerCli.removeNode(node);
      throw new AssertionError(
          "the agent did not get its pods running; its log:\n" + agent.log(), e);
    }
  }

  /** Every pod shows in {@code /pods} with its UID and as Running (the engine runs it first). */
  private boolean listedRunning(String... pods) {
    List<Pod> listed = agent.podsIfAnswering().orElse(List.of());
    for (String pod : pods) {
      String name = pod + "-" + node;
      boolean running =
          listed.stream()
              .anyMatch(
                  p ->
                      p.getMetadata().getName().equals(name)
                          && p.getStatus() != null
                          && "Running".equals(p.getStatus().getPhase()));
      if (!running) {
        return false;
      }
    }
    return true;
  }

  /** Stops the agent, prints its log into the test's report, removes the pods' containers. */
  void close(TestInfo test) {
    agent.close();
    System.out.println("==== agent log of " + test.getDisplayName() + " ====\n" + agent.log());
    DockerCli.removeNode(node);
  }

  /** IDs of the running containers of this node. */
  Set<String> runningIds() {
    return DockerCli.containersOfNode(node).stream()
        .filter(Row::running)
        .map(Row::id)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  Set<String> runningIds(String pod) {
    return DockerCli.runningOfPod(node, pod + "-" + node).stream()
        .map(Row::id)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  String uid(String pod) {
    return agent.pod(pod + "-" + node).map(p -> p.getMetadata().getUid()).orElse("");
  }

  /** An annotation of the pod in {@code /pods} ("" when absent). */
  String annotation(String pod, String key) {
    return agent
        .pod(pod + "-" + node)
        .map(Pod::getMetadata)
        .map(m -> m.getAnnotations().getOrDefault(key, ""))
        .orElse("");
  }

  String manifestError(String pod) {
    return annotation(pod, "staticlet.io/manifest-error");
  }

  double manifestErrors() {
    return AgentMetrics.value(agent, "staticlet_manifest_errors");
  }
}
