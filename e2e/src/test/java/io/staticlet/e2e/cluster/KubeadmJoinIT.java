package io.staticlet.e2e.cluster;

import static io.staticlet.e2e.cluster.NodeUnderTest.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.e2e.controlplane.ControlPlaneExtension;
import io.staticlet.testkit.ControlPlane;
import io.staticlet.testkit.DockerCli;
import io.staticlet.testkit.Manifests;
import io.staticlet.testkit.Repo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubeadm join} (v1.20.2) of a staticlet worker, as an operator runs it: kubeadm writes
 * {@code /etc/kubernetes/bootstrap-kubelet.conf}, {@code /var/lib/kubelet/config.yaml} and waits
 * for the kubelet's TLS bootstrap to produce {@code /etc/kubernetes/kubelet.conf}; staticlet runs
 * with the flags of kubeadm's systemd drop-in. Both run in a mount namespace of their own: overlays
 * on {@code /etc} and {@code /var/lib} make the mount points, and the test's own directories are
 * bind-mounted on {@code /etc/kubernetes} and {@code /var/lib/kubelet} (whatever the host has there
 * is hidden and untouched; the test reads what kubeadm and the agent wrote). The control plane
 * carries what {@code kubeadm init} publishes for joins ({@link KubeadmBootstrap}). There is no
 * systemd here: kubeadm's {@code systemctl restart kubelet} fails (kubeadm prints it and goes on),
 * so the test starts staticlet once {@code config.yaml} exists.
 */
@ExtendWith(ControlPlaneExtension.class)
class KubeadmJoinIT {
  private static final Path KUBEADM =
      Path.of(System.getProperty("user.home"), ".cache/staticlet/kubernetes-v1.20.2/bin/kubeadm");
  @TempDir Path work;

  @Test
  void kubeadmJoinOfAStaticletNodeCompletesThroughTlsBootstrap(ControlPlane cp) throws Exception {
    String node =
        "e2e-certs-join-" + UUID.randomUUID().toString().substring(0, 6).toLowerCase(Locale.ROOT);
    String token = KubeadmBootstrap.createToken(cp);
    KubeadmBootstrap.publishJoinConfiguration(cp);
    String tokenId = token.substring(0, 6);
    within(Duration.ofSeconds(60))
        .until(
            () ->
                cp.kubectl(
                            "-n",
                            "kube-public",
                            "get",
                            "cm",
                            "cluster-info",
                            "-o",
                            "jsonpath={.data.jws-kubeconfig-" + tokenId + "}")
                        .stdout()
                        .strip()
                        .length()
                    > 0); // bootstrapsigner signed it
    Path ns = Files.createDirectories(work.resolve("ns"));
    for (String d :
        List.of(
            "etc-up",
            "etc-work",
            "lib-up",
            "lib-work",
            "root",
            "etc-kubernetes",
            "var-lib-kubelet")) {
      Files.createDirectories(ns.resolve(d));
    }
    Files.writeString(ns.resolve("web.yaml"), Manifests.service("web"));
    String script =
        """
        set -u
        mount -t overlay overlay -o lowerdir=/etc,upperdir=$NS/etc-up,workdir=$NS/etc-work /etc
        mount -t overlay overlay -o lowerdir=/var/lib,upperdir=$NS/lib-up,workdir=$NS/lib-work /var/lib
        mkdir -p /etc/kubernetes /var/lib/kubelet
        mount --bind $NS/etc-kubernetes /etc/kubernetes
        mount --bind $NS/var-lib-kubelet /var/lib/kubelet
        mkdir -p /etc/kubernetes/manifests && cp $NS/web.yaml /etc/kubernetes/manifests/
        $KUBEADM join 127.0.0.1:$PORT --token $TOKEN --discovery-token-unsafe-skip-ca-verification \\
            --node-name $NODE --ignore-preflight-errors=all > $NS/kubeadm.log 2>&1 &
        kubeadm=$!
        for i in $(seq 240); do [[ -f /var/lib/kubelet/config.yaml ]] && break; kill -0 $kubeadm 2>/dev/null || break; sleep 0.5; done
        java -XX:+UseSerialGC -Xmx128m -XX:TieredStopAtLevel=1 -jar $JAR \\
            --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf \\
            --config=/var/lib/kubelet/config.yaml --hostname-override $NODE --node-ip 127.0.0.1 --root-dir $NS/root \\
            --healthz-port 0 --read-only-port 0 --file-check-frequency 2s --sync-frequency 1m > $NS/agent.log 2>&1 &
        agent=$!
        wait $kubeadm; echo "kubeadm exit $?" >> $NS/kubeadm.log
        while [[ ! -f $NS/stop ]]; do sleep 0.5; done
        kill $agent; wait $agent
        exit 0
        """;
    ProcessBuilder pb =
        new ProcessBuilder("unshare", "-m", "--propagation", "private", "bash", "-c", script)
            .redirectErrorStream(true)
            .redirectOutput(ns.resolve("unshare.log").toFile());
    pb.environment()
        .putAll(
            Map.of(
                "NS",
                ns.toString(),
                "KUBEADM",
                KUBEADM.toString(),
                "PORT",
                String.valueOf(cp.apiServerUrl().getPort()),
                "TOKEN",
                token,
                "NODE",
                node,
                "JAR",
                Repo.agentJar().toString()));
    Process p = pb.start();
    try {
      within(Duration.ofMinutes(5))
          .until(() -> read(ns.resolve("kubeadm.log")).contains("kubeadm exit") || !p.isAlive());
      String kubeadmLog = read(ns.resolve("kubeadm.log"));
      assertTrue(
          kubeadmLog.contains("kubeadm exit 0")
              && kubeadmLog.contains("This node has joined the cluster"),
          kubeadmLog
              + "\n--- agent ---\n"
              + read(ns.resolve("agent.log"))
              + "\n--- unshare ---\n"
              + read(ns.resolve("unshare.log")));
      within(Duration.ofSeconds(90))
          .until(
              () ->
                  cp.kubectl(
                          "get",
                          "node",
                          node,
                          "-o",
                          "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")
                      .stdout()
                      .strip()
                      .equals("True"));
      assertEquals(
          "/var/run/dockershim.sock",
          cp.kubectl(
                  "get",
                  "node",
                  node,
                  "-o",
                  "jsonpath={.metadata.annotations.kubeadm\\.alpha\\.kubernetes\\.io/cri-socket}")
              .stdout()
              .strip(),
          "kubeadm's annotation on the Node the agent registered");
      within(Duration.ofSeconds(90))
          .until(
              () ->
                  cp.kubectl("get", "pod", "web-" + node, "-o", "jsonpath={.status.phase}")
                      .stdout()
                      .strip()
                      .equals("Running"));
      String kubeletConf = read(ns.resolve("etc-kubernetes/kubelet.conf"));
      Path current = ns.resolve("root/pki/kubelet-client-current.pem");
      assertTrue(kubeletConf.contains("client-certificate: \"" + current + "\""), kubeletConf);
      assertTrue(Files.isSymbolicLink(current));
      assertTrue(
          !Files.exists(ns.resolve("etc-kubernetes/bootstrap-kubelet.conf")),
          "kubeadm removed the bootstrap kubeconfig");
    } finally {
      Files.writeString(ns.resolve("stop"), "");
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      System.out.println(
          "==== kubeadm join ====\n"
              + read(ns.resolve("kubeadm.log"))
              + "\n==== agent ====\n"
              + read(ns.resolve("agent.log")));
      DockerCli.removeNode(node);
      cp.kubectl("delete", "node", node, "--wait=false", "--ignore-not-found");
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }
}
