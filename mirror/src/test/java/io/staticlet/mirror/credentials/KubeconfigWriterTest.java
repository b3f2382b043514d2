package io.staticlet.mirror.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigWriterTest {
  private static final Instant T0 = Instant.parse("2026-03-04T05:06:07Z");
  @TempDir Path dir;
  private final TestCa ca = new TestCa();

  static String bootstrapKubeconfig(String server, String caData, String token) {
    return "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n"
        + (caData == null
            ? "    insecure-skip-tls-verify: true\n"
            : "    certificate-authority-data: " + caData + "\n")
        + "    server: "
        + server
        + "\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n"
        + "    user: tls-bootstrap-token-user\n  name: tls-bootstrap-token-user@kubernetes\n"
        + "current-context: tls-bootstrap-token-user@kubernetes\nusers:\n- name: tls-bootstrap-token-user\n  user:\n"
        + "    token: "
        + token
        + "\n";
  }

  @Test
  void writesTheServerAndCaOfTheBootstrapKubeconfigAndNamesTheCurrentPemForCertificateAndKey()
      throws Exception {
    String caData =
        Base64.getEncoder()
            .encodeToString(
                ca.nodeCertificate("ca", T0, T0.plusSeconds(60))
                    .certificatePem()
                    .getBytes(StandardCharsets.US_ASCII));
    Path bootstrap = dir.resolve("bootstrap-kubelet.conf");
    Files.writeString(
        bootstrap,
        bootstrapKubeconfig("https://127.0.0.1:6443", caData, "abcdef.0123456789abcdef"));
    CertificateFiles files = new CertificateFiles(dir.resolve("pki"));
    ClientCertificate cert = ca.nodeCertificate("worker", T0, T0.plus(Duration.ofDays(365)));
    files.store(cert, T0);
    Path kubeconfig = dir.resolve("kubelet.conf");

    KubeconfigWriter.write(
        kubeconfig, NodeKubeconfig.read(bootstrap).config(), files.currentPath());

    String yaml = Files.readString(kubeconfig);
    assertTrue(yaml.contains("client-certificate: \"" + files.currentPath() + "\""), yaml);
    assertTrue(yaml.contains("client-key: \"" + files.currentPath() + "\""), yaml);
    assertTrue(yaml.contains("current-context: default-context"), yaml);
    assertFalse(yaml.contains("token"), "the bootstrap token is not copied: " + yaml);
    NodeKubeconfig read = NodeKubeconfig.read(kubeconfig);
    assertEquals("https://127.0.0.1:6443/", read.config().getMasterUrl());
    assertEquals(caData, read.config().getCaCertData());
    assertEquals(cert.notAfter(), read.certificate().orElseThrow().notAfter());
    assertEquals(
        "CN=system:node:worker,O=system:nodes", read.certificate().orElseThrow().subject());
  }

  @Test
  void aKubeconfigNamingAMissingCertificateIsAnErrorNamingBoth() throws Exception {
    Path kubeconfig = dir.resolve("kubelet.conf");
    Files.writeString(
        kubeconfig,
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://127.0.0.1:6443\n"
            + "  name: c\ncontexts:\n- context:\n    cluster: c\n    user: u\n  name: x\ncurrent-context: x\n"
            + "users:\n- name: u\n  user:\n    client-certificate: pki/missing.pem\n    client-key: pki/missing.pem\n");
    CredentialsException e =
        assertThrows(CredentialsException.class, () -> NodeKubeconfig.read(kubeconfig));
    assertTrue(
        e.getMessage().contains(kubeconfig.toString())
            && e.getMessage().contains("missing.pem")
            && e.getMessage().contains("does not exist"),
        e.getMessage());
  }

  @Test
  void aMissingKubeconfigIsAnErrorNamingIt() {
    CredentialsException e =
        assertThrows(
            CredentialsException.class, () -> NodeKubeconfig.read(dir.resolve("none.conf")));
    assertTrue(
        e.getMessage().contains("none.conf") && e.getMessage().contains("does not exist"),
        e.getMessage());
  }

  @Test
  void theFingerprintFollowsTheNamedCertificateFile() throws Exception {
    CertificateFiles files = new CertificateFiles(dir.resolve("pki"));
    files.store(ca.nodeCertificate("w", T0, T0.plusSeconds(600)), T0);
    Path kubeconfig = dir.resolve("kubelet.conf");
    KubeconfigWriter.write(
        kubeconfig, io.fabric8.kubernetes.client.Config.empty(), files.currentPath());
    String before = NodeKubeconfig.read(kubeconfig).fingerprint();

    files.store(ca.nodeCertificate("w", T0, T0.plusSeconds(900)), T0.plusSeconds(1));

    assertFalse(before.equals(NodeKubeconfig.read(kubeconfig).fingerprint()));
  }
}
