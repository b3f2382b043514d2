package io.staticlet.e2e.probes;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.staticlet.e2e.controlplane.ControlPlaneExtension;
import io.staticlet.testkit.AgentProcess;
import io.staticlet.testkit.ControlPlane;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #5 acceptance 3: {@code kubectl get pods} follows the readiness probe through the mirror
 * pod.
 */
@ExtendWith(ControlPlaneExtension.class)
class ReadinessInKubectlIT {
  @TempDir Path work;
  private ControlPlane cp;
  private String node;
  private Path manifests;
  private AgentProcess agent;

  @BeforeEach
  void startAgent(ControlPlane cp) throws IOException {
    this.cp = cp;
    node = "e2e-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    manifests = Files.createDirectories(work.resolve("manifests"));
    agent =
        new AgentProcess(
                node,
                manifests,
                work,
                List.of(
                    "--kubeconfig",
                    cp.nodeKubeconfig(node).toString(),
                    "--file-check-frequency",
                    "2s"))
            .start();
  }

  @AfterEach
  void stopAgent() {
    try {
      agent.close();
      System.out.println("==== agent log of node " + node + " ====\n" + agent.log());
    } finally {
      DockerCli.removeNode(node);
      cp.kubectl("delete", "node", node, "--wait=false", "--ignore-not-found");
    }
  }

  /**
   * READY and STATUS columns of {@code kubectl get pod}, e.g. {@code 0/1 Running}, or "" while
   * there is no mirror.
   */
  private String readyColumn(String pod) {
    var result = cp.kubectl("get", "pod", pod, "-n", "default", "--no-headers");
    if (!result.succeeded()) {
      return "";
    }
    String[] cols = result.stdout().trim().split("\\s+");
    return cols.length > 2 ? cols[1] + " " + cols[2] : "";
  }

  private String containerId(String pod) {
    ContainerStatus s = agent.pod(pod).orElseThrow().getStatus().getContainerStatuses().get(0);
    return s.getContainerID().replaceFirst("^docker://", "");
  }

  @Test
  void kubectlShowsZeroOfOneThenOneOfOneAsReadinessChanges() {
    String pod = "web-" + node;
    Manifests.write(
        manifests.resolve("web.yaml"),
        ProbeManifests.pod(
            "web",
            "Always",
            ProbeManifests.service("mkdir -p /www; httpd -f -p 8080 -h /www &"),
            """
        readinessProbe:
          httpGet:
            path: /ready.html
            port: 8080
          periodSeconds: 1
          failureThreshold: 1
        """,
            ""));

    await("0/1 Running")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> readyColumn(pod).equals("0/1 Running"));

    DockerCli.run("exec", containerId(pod), "touch", "/www/ready.html");
    await("1/1 Running")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> readyColumn(pod).equals("1/1 Running"));

    DockerCli.run("exec", containerId(pod), "rm", "/www/ready.html");
    await("0/1 again")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> readyColumn(pod).equals("0/1 Running"));
  }
}
