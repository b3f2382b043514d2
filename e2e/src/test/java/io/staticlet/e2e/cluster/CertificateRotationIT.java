package io.staticlet.e2e.cluster;

import static io.staticlet.e2e.cluster.NodeUnderTest.restarts;
import static io.staticlet.e2e.cluster.NodeUnderTest.runningAndReady;
import static io.staticlet.e2e.cluster.NodeUnderTest.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.staticlet.testkit.ApiClient;
import io.staticlet.testkit.ControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Client-certificate rotation against the real csrsigning controller issuing 10-minute certificates
 * ({@code --cluster-signing-duration=10m}, on a control plane of its own so no other test sees
 * short certificates): the agent joins by TLS bootstrap and renews at 70–90 % of each certificate's
 * lifetime, at least twice, while the Lease never lapses, no container restarts and mirrors keep
 * being published. The signer backdates {@code notBefore} by 5 minutes, so a 10-minute certificate
 * has 5 minutes left when issued and is renewed 2–4 minutes after issue: two rotations take 4–8
 * minutes (about 6.5 minutes with the control plane's start, measured). It runs beside the other
 * classes ({@code @Execution(CONCURRENT)}, see {@code junit-platform.properties}).
 */
@Execution(ExecutionMode.CONCURRENT)
class CertificateRotationIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ControlPlane cp;
  @TempDir Path work;

  @BeforeAll
  static void ownControlPlane() throws Exception {
    cp =
        ControlPlane.start(
            ControlPlane.locateRepoRoot(),
            Files.createTempDirectory("staticlet-rotation-cp-"),
            Map.of("KCM_EXTRA_ARGS", "--cluster-signing-duration=10m"));
  }

  @AfterAll
  static void stopControlPlane() {
    if (cp != null) {
      cp.stop();
    }
  }

  private static Instant renewTime(ApiClient admin, String node) {
    ApiClient.Response r =
        admin.get("/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/" + node);
    if (r.status() != 200) {
      return Instant.EPOCH;
    }
    try {
      JsonNode renew = JSON.readTree(r.body()).path("spec").path("renewTime");
      return renew.isTextual() ? Instant.parse(renew.asText()) : Instant.EPOCH;
    } catch (Exception e) {
      return Instant.EPOCH;
    }
  }

  @Test
  void renewsTenMinuteCertificatesTwiceWhileTheLeaseNeverLapsesAndNoContainerRestarts()
      throws Exception {
    Path bootstrap =
        KubeadmBootstrap.writeBootstrapKubeconfig(
            cp, work.resolve("bootstrap-kubelet.conf"), KubeadmBootstrap.createToken(cp));
    Path kubeconfig = work.resolve("kubelet.conf");
    try (NodeUnderTest n =
        NodeUnderTest.withCredentials(
            cp,
            work,
            node ->
                List.of(
                    "--bootstrap-kubeconfig",
                    bootstrap.toString(),
                    "--kubeconfig",
                    kubeconfig.toString(),
                    "--rotate-certificates"))) {
      n.runService("web");
      n.start();
      within(Duration.ofSeconds(120)).until(() -> runningAndReady(n.mirror("web")));
      Set<String> containers = n.runningAppContainers("web");
      String mirrorUid = NodeUnderTest.uid(n.mirrorOrFail("web"));
      Path current = n.agent.rootDir().resolve("pki/kubelet-client-current.pem");
      Set<Path> certificates = new LinkedHashSet<>(List.of(Files.readSymbolicLink(current)));
      ApiClient admin = cp.adminApi();
      Instant start = Instant.now();
      long[] worstLeaseAge = {0};

      within(Duration.ofMinutes(25))
          .pollInterval(Duration.ofSeconds(2))
          .until(
              () -> {
                long age = Duration.between(renewTime(admin, n.node), Instant.now()).toSeconds();
                worstLeaseAge[0] = Math.max(worstLeaseAge[0], age);
                assertTrue(
                    age < 40, "the Lease lapsed: renewTime is " + age + " s old\n" + n.agent.log());
                assertEquals(
                    containers, n.runningAppContainers("web"), "a container was restarted");
                certificates.add(Files.readSymbolicLink(current));
                return certificates.size() >= 3; // the bootstrap certificate and two rotations
              });
      Duration took = Duration.between(start, Instant.now());

      // mirrors keep updating: a new pod gets its mirror, the old one is still Running with no
      // restart
      n.runService("late");
      within(Duration.ofSeconds(60)).until(() -> runningAndReady(n.mirror("late")));
      assertTrue(runningAndReady(n.mirror("web")));
      assertEquals(0, restarts(n.mirrorOrFail("web")));
      assertEquals(
          mirrorUid, NodeUnderTest.uid(n.mirrorOrFail("web")), "the mirror was not re-created");
      var csrs =
          cp.kubectl(
                  "get",
                  "csr",
                  "-o",
                  "jsonpath={range .items[*]}{.spec.username}|{.status.conditions[0].type}"
                      + "{\"\\n\"}{end}")
              .orThrow()
              .stdout();
      long renewals =
          csrs.lines().filter(l -> l.equals("system:node:" + n.node + "|Approved")).count();
      assertTrue(renewals >= 2, "renewal CSRs made as the node itself, approved: " + csrs);
      assertTrue(
          n.agent.healthz("/healthz/cluster").startsWith("ok"),
          n.agent.healthz("/healthz/cluster"));
      System.out.printf(
          "CertificateRotationIT: %d certificates %s in %d s after the join; worst Lease age %d s%n",
          certificates.size(), certificates, took.toSeconds(), worstLeaseAge[0]);
    }
  }
}
