package io.staticlet.e2e.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 1 (CVE-2017-1002101): an init container plants {@code x -> /} in a shared emptyDir; the app
 * container mounts {@code subPath: x}. It must be refused, and the host root never visible.
 */
class SubPathSymlinkFaultIT {
  @TempDir Path work;
  private final FaultNode faultNode = new FaultNode();
  private final String node = faultNode.name;
  private AgentProcess agent;

  @AfterEach
  void tearDown() {
    faultNode.close();
  }

  @Test
  void aSubPathThroughASymlinkPlantedByAnInitContainerIsRefusedAndTheHostStaysInvisible()
      throws Exception {
    // a marker on the host: readable through the link only if the escape worked
    Path marker = Files.writeString(work.resolve("marker"), "host-only\n");
    Path escapeWitness = work.resolve("written-from-container");
    Path manifests = Files.createDirectories(work.resolve("manifests"));
    String script =
        "cat /host" + marker + " && echo escaped > /host" + escapeWitness + "; sleep 3600";
    String manifest =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: escape
        spec:
          terminationGracePeriodSeconds: 1
          volumes:
          - name: shared
            emptyDir: {}
          initContainers:
          - name: planter
            image: %1$s
            command: ["sh", "-c", "ln -s / /shared/x"]
            volumeMounts:
            - {name: shared, mountPath: /shared}
          containers:
          - name: app
            image: %1$s
            command: ["sh", "-c", "%2$s"]
            volumeMounts:
            - {name: shared, mountPath: /host, subPath: x}
        """
            .formatted(Manifests.IMAGE, script);
    Manifests.write(manifests.resolve("escape.yaml"), manifest);
    agent =
        faultNode.start(
            new AgentProcess(node, manifests, work, List.of("--file-check-frequency", "2s")));

    String podName = "escape-" + node;
    ContainerStatus app =
        await("the app container is refused with CreateContainerConfigError")
            .atMost(Duration.ofSeconds(90))
            .until(
                () -> appStatus(podName),
                s ->
                    s.isPresent()
                        && s.get().getState().getWaiting() != null
                        && "CreateContainerConfigError"
                            .equals(s.get().getState().getWaiting().getReason()))
            .orElseThrow();
    String message = app.getState().getWaiting().getMessage();
    System.out.println(
        "app container waiting: reason="
            + app.getState().getWaiting().getReason()
            + " message="
            + message);
    assertTrue(
        message.contains("volume \"shared\"")
            && message.contains("subPath \"x\"")
            && message.contains("outside the volume"),
        message);

    // the back-off retries (10 s apart) keep refusing it: no app container, nothing written on the
    // host
    await("refused on every retry")
        .during(Duration.ofSeconds(12))
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                DockerCli.containersOfPod(node, podName).stream()
                        .noneMatch(r -> r.name().startsWith("k8s_app_"))
                    && !Files.exists(escapeWitness));
    System.out.println(
        "containers of the pod: "
            + DockerCli.containersOfPod(node, podName).stream().map(DockerCli.Row::name).toList());
    assertEquals("host-only\n", Files.readString(marker));
    Pod pod = agent.pod(podName).orElseThrow();
    assertEquals("Pending", pod.getStatus().getPhase());
  }

  private Optional<ContainerStatus> appStatus(String podName) {
    return agent
        .pod(podName)
        .flatMap(
            p ->
                p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                    ? Optional.empty()
                    : p.getStatus().getContainerStatuses().stream()
                        .filter(c -> c.getName().equals("app"))
                        .findFirst());
  }
}
