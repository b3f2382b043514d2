package io.staticlet.e2e.cluster;

import static io.staticlet.e2e.cluster.NodeUnderTest.runningAndReady;
import static io.staticlet.e2e.cluster.NodeUnderTest.within;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.e2e.controlplane.ControlPlaneExtension;
import io.staticlet.testkit.Commands;
import io.staticlet.testkit.ControlPlane;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node credentials against the real API server with kubeadm's TLS-bootstrap set-up ({@link
 * KubeadmBootstrap}) and the controller-manager's csrapproving/csrsigning controllers signing with
 * the cluster CA: a node that has only a bootstrap token joins; certificate files replaced on disk
 * are used without a restart; a certificate the API server does not accept shows in {@code
 * /healthz} and {@code /healthz/cluster}.
 */
@ExtendWith(ControlPlaneExtension.class)
class TlsBootstrapIT {
  private static final Pattern EXPIRY =
      Pattern.compile("staticlet_client_certificate_expiry_seconds ([0-9.eE+-]+)");
  @TempDir Path work;
  private final List<NodeUnderTest> nodes = new ArrayList<>();

  @AfterEach
  void stopAgents() {
    nodes.forEach(NodeUnderTest::close);
  }

  private static String[] getNode(NodeUnderTest n) {
    var r = n.kubectl("get", "node", n.node, "--no-headers");
    return r.succeeded() ? r.stdout().strip().split("\\s+") : new String[0];
  }

  private static boolean nodeReady(NodeUnderTest n) {
    String[] columns = getNode(n);
    return columns.length > 1 && columns[1].equals("Ready");
  }

  private static Instant renewTime(NodeUnderTest n) {
    var r =
        n.kubectl(
            "get", "lease", "-n", "kube-node-lease", n.node, "-o", "jsonpath={.spec.renewTime}");
    return r.succeeded() && !r.stdout().isBlank()
        ? Instant.parse(r.stdout().strip())
        : Instant.EPOCH;
  }

  static double expirySeconds(NodeUnderTest n) {
    Matcher m = EXPIRY.matcher(n.agent.metrics());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void aNodeWithOnlyABootstrapTokenKubeconfigJoins(ControlPlane cp) throws Exception {
    Path bootstrap =
        KubeadmBootstrap.writeBootstrapKubeconfig(
            cp, work.resolve("bootstrap-kubelet.conf"), KubeadmBootstrap.createToken(cp));
    Path kubeconfig = work.resolve("kubelet.conf");
    NodeUnderTest n =
        NodeUnderTest.withCredentials(
            cp,
            work,
            node ->
                List.of(
                    "--bootstrap-kubeconfig",
                    bootstrap.toString(),
                    "--kubeconfig",
                    kubeconfig.toString(),
                    "--rotate-certificates"));
    nodes.add(n);
    n.runService("web");

    n.start();

    within(Duration.ofSeconds(120)).until(() -> nodeReady(n));
    within(Duration.ofSeconds(60)).until(() -> runningAndReady(n.mirror("web")));
    Path current = n.agent.rootDir().resolve("pki/kubelet-client-current.pem");
    assertTrue(Files.isSymbolicLink(current), current + " is the symlink");
    assertTrue(
        Files.readSymbolicLink(current)
            .getFileName()
            .toString()
            .matches("kubelet-client-\\d{4}(-\\d\\d){5}\\.pem"),
        Files.readSymbolicLink(current).toString());
    String written = Files.readString(kubeconfig);
    assertTrue(
        written.contains("client-certificate: \"" + current + "\"")
            && written.contains("client-key: \"" + current + "\""),
        written);
    // the CSR the kubelet sends, approved by the csrapproving controller and signed by csrsigning
    var csrs =
        cp.kubectl(
                "get",
                "csr",
                "-o",
                "jsonpath={range .items[*]}{.spec.username}|{.spec.signerName}|"
                    + "{.spec.usages}|{.status.conditions[0].type}|{.status.certificate}{\"\\n\"}{end}")
            .orThrow();
    String bootstrapCsr =
        csrs.stdout()
            .lines()
            .filter(
                l ->
                    l.startsWith("system:bootstrap:")
                        && l.contains("kubernetes.io/kube-apiserver-client-kubelet"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(csrs.stdout()));
    assertTrue(
        bootstrapCsr.contains(
            "[\"digital signature\",\"key encipherment\",\"client auth\"]|Approved|"),
        bootstrapCsr);
    var subject =
        exec("openssl", "x509", "-in", current.toString(), "-noout", "-subject", "-issuer");
    assertTrue(
        subject.contains("O = system:nodes") && subject.contains("CN = system:node:" + n.node),
        subject);
    assertTrue(
        n.agent.healthz("/healthz/cluster").startsWith("ok"), n.agent.healthz("/healthz/cluster"));
    double expiry = expirySeconds(n);
    assertTrue(expiry > 0, "staticlet_client_certificate_expiry_seconds " + expiry);
  }

  @Test
  void certificateFilesReplacedOnDiskAreUsedWithoutARestartAndARefusedCertificateShows(
      ControlPlane cp) throws Exception {
    Path cert = work.resolve("node.crt");
    Path key = work.resolve("node.key");
    Path kubeconfig = work.resolve("kubelet.conf");
    NodeUnderTest n =
        NodeUnderTest.withCredentials(
            cp,
            work,
            node -> {
              cp.nodeKubeconfig(
                  node); // issues pki/nodes/<node>.{crt,key}, signed by the cluster CA (10 years)
              copy(cp.stateDir().resolve("pki/nodes/" + node + ".crt"), cert);
              copy(cp.stateDir().resolve("pki/nodes/" + node + ".key"), key);
              writeKubeconfig(cp, kubeconfig, cert, key);
              return List.of("--kubeconfig", kubeconfig.toString());
            });
    nodes.add(n);
    n.runService("web");
    n.start();
    within(Duration.ofSeconds(90)).until(() -> nodeReady(n) && runningAndReady(n.mirror("web")));
    Set<String> containers = n.runningAppContainers("web");
    assertTrue(
        expirySeconds(n) > Duration.ofDays(3000).toSeconds(),
        "the 10-year certificate: " + expirySeconds(n));

    // a new certificate from the cluster CA, valid 2 days, written over the files the kubeconfig
    // names
    issue(cp, n.node, work.resolve("new"), false);
    Files.move(work.resolve("new.key"), key, StandardCopyOption.REPLACE_EXISTING);
    Files.move(work.resolve("new.crt"), cert, StandardCopyOption.REPLACE_EXISTING);

    within(Duration.ofSeconds(60)).until(() -> expirySeconds(n) < Duration.ofDays(2).toSeconds());
    Instant switched = Instant.now();
    within(Duration.ofSeconds(60)).until(() -> renewTime(n).isAfter(switched));
    assertTrue(
        n.agent.healthz("/healthz/cluster").startsWith("ok"), n.agent.healthz("/healthz/cluster"));
    assertEquals("ok", n.agent.healthz());
    assertEquals(containers, n.runningAppContainers("web"), "no container restarted");

    // a certificate of a CA the API server does not know (as good as revoked): with anonymous
    // authentication on (the default) every call is made as system:anonymous and refused
    issue(cp, n.node, work.resolve("foreign"), true);
    Files.move(work.resolve("foreign.key"), key, StandardCopyOption.REPLACE_EXISTING);
    Files.move(work.resolve("foreign.crt"), cert, StandardCopyOption.REPLACE_EXISTING);

    within(Duration.ofSeconds(90))
        .until(() -> n.agent.healthz("/healthz/cluster").contains("refuses our credentials"));
    assertTrue(n.agent.healthz().startsWith("unhealthy"), n.agent.healthz());
    assertTrue(n.agent.healthz().contains("refuses our credentials"), n.agent.healthz());
    assertEquals(containers, n.runningAppContainers("web"), "the pods keep running");
  }

  private static void writeKubeconfig(ControlPlane cp, Path kubeconfig, Path cert, Path key) {
    KubeadmBootstrap.writeKubeconfig(
        cp,
        kubeconfig,
        "node",
        "    client-certificate: " + cert + "\n    client-key: " + key + "\n");
  }

  /**
   * {@code <base>.crt} and {@code <base>.key} for system:node:{@code node}: from the cluster CA (2
   * days) or self-signed.
   */
  static void issue(ControlPlane cp, String node, Path base, boolean selfSigned) {
    String subject = "/O=system:nodes/CN=system:node:" + node;
    String key = base + ".key";
    exec(
        "openssl",
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        key);
    if (selfSigned) {
      exec(
          "openssl",
          "req",
          "-x509",
          "-new",
          "-key",
          key,
          "-subj",
          subject,
          "-days",
          "2",
          "-out",
          base + ".crt");
      return;
    }
    exec("openssl", "req", "-new", "-key", key, "-subj", subject, "-out", base + ".csr");
    exec(
        "openssl",
        "x509",
        "-req",
        "-in",
        base + ".csr",
        "-CA",
        cp.caCertificate().toString(),
        "-CAkey",
        cp.stateDir().resolve("pki/ca.key").toString(),
        "-set_serial",
        String.valueOf(System.nanoTime()),
        "-days",
        "2",
        "-sha256",
        "-out",
        base + ".crt");
  }

  static String exec(String... command) {
    return Commands.run(List.of(command), Duration.ofSeconds(60));
  }

  private static void copy(Path from, Path to) {
    try {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
