package io.staticlet.e2e.cluster;

import static io.staticlet.e2e.cluster.NodeUnderTest.within;

import io.staticlet.testkit.CommandResult;
import io.staticlet.testkit.Commands;
import io.staticlet.testkit.ControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A node whose kubelet API runs with kubeadm's authentication settings (x509 client CA = the
 * cluster CA, webhook TokenReview, anonymous off, authorization Webhook, no caches) on a
 * non-default port, registered with {@code --node-ip=127.0.0.1} so the API server reaches it.
 */
final class KubeletApiNode {
  private KubeletApiNode() {}

  /** Starts the agent and waits for its Node object and for its kubelet API to answer. */
  static NodeUnderTest start(ControlPlane cp, Path work, int port) throws IOException {
    Path config =
        Files.writeString(
            work.resolve("kubelet-config.yaml"),
            """
        apiVersion: kubelet.config.k8s.io/v1beta1
        kind: KubeletConfiguration
        port: %d
        authentication:
          anonymous:
            enabled: false
          webhook:
            enabled: true
            cacheTTL: 0s
          x509:
            clientCAFile: %s
        authorization:
          mode: Webhook
          webhook:
            cacheAuthorizedTTL: 0s
            cacheUnauthorizedTTL: 0s
        """
                .formatted(port, cp.caCertificate()));
    NodeUnderTest n =
        NodeUnderTest.create(
            cp,
            work,
            "--config",
            config.toString(),
            "--port",
            String.valueOf(port),
            "--node-ip",
            "127.0.0.1");
    try {
      n.start();
      within(Duration.ofSeconds(60)).until(() -> n.nodeObject().isPresent());
      // the Node and the mirrors can be there before the kubelet API listens (it starts last)
      within(Duration.ofSeconds(60))
          .until(() -> curl("GET", "https://127.0.0.1:" + port + "/healthz").status() != 0);
      return n;
    } catch (RuntimeException e) {
      n.close();
      throw e;
    }
  }

  record Answer(int status, String body) {}

  /**
   * One request with curl straight to the node (TLS not verified: the serving certificate is
   * self-signed).
   */
  static Answer curl(String method, String url, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of("curl", "-sk", "-X", method, "-o", "-", "-w", "\n%{http_code}", url));
    cmd.addAll(List.of(args));
    CommandResult r = Commands.result(cmd, Duration.ofSeconds(30));
    if (r.timedOut()) {
      throw new AssertionError("curl hung: " + cmd);
    }
    String out = r.stdout();
    int nl = out.lastIndexOf('\n');
    return new Answer(Integer.parseInt(out.substring(nl + 1).trim()), out.substring(0, nl).trim());
  }
}
