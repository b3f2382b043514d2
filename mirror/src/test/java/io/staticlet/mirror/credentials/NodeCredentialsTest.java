package io.staticlet.mirror.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class NodeCredentialsTest {
  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path dir;
  private final TestCa ca = new TestCa();
  private final Clock clock = Clock.systemUTC();

  private NodeCredentials credentials(Path bootstrap, boolean rotate) {
    return new NodeCredentials(
        new NodeCredentials.Settings(
            dir.resolve("kubelet.conf"), bootstrap, dir.resolve("pki"), rotate, "worker-1"),
        clock,
        c -> new KubernetesClientBuilder().withConfig(c).build(),
        CsrClientTest.FAST);
  }

  private Path bootstrapKubeconfig() throws Exception {
    Path file = dir.resolve("bootstrap-kubelet.conf");
    // the mock server's certificate is its own: trust it as kubeadm's insecure discovery would
    Files.writeString(
        file,
        KubeconfigWriterTest.bootstrapKubeconfig(server.url("/"), null, "abcdef.0123456789abcdef"));
    return file;
  }

  /** A kubeconfig with the certificate embedded, as kubeadm init writes kubelet.conf. */
  private void embeddedKubeconfig(ClientCertificate cert) throws Exception {
    Base64.Encoder b64 = Base64.getEncoder();
    Files.writeString(
        dir.resolve("kubelet.conf"),
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    insecure-skip-tls-verify: true\n    server: "
            + server.url("/")
            + "\n  name: kubernetes\ncontexts:\n- context:\n    cluster: kubernetes\n    user: u\n"
            + "  name: ctx\ncurrent-context: ctx\nusers:\n- name: u\n  user:\n"
            + "    client-certificate-data: "
            + b64.encodeToString(cert.certificatePem().getBytes(StandardCharsets.US_ASCII))
            + "\n"
            + "    client-key-data: "
            + b64.encodeToString(cert.keyPem().getBytes(StandardCharsets.US_ASCII))
            + "\n");
  }

  @Test
  void bootstrapsWhenTheKubeconfigIsMissing() throws Exception {
    try (FakeSigner signer = new FakeSigner(client, ca, Duration.ofMinutes(10), false)) {
      NodeCredentials.Active active = credentials(bootstrapKubeconfig(), false).obtain();

      Path current = dir.resolve("pki/kubelet-client-current.pem");
      assertTrue(Files.isSymbolicLink(current));
      assertEquals(
          "CN=system:node:worker-1,O=system:nodes", active.certificate().orElseThrow().subject());
      NodeKubeconfig written = NodeKubeconfig.read(dir.resolve("kubelet.conf"));
      assertEquals(server.url("/"), written.config().getMasterUrl());
      assertEquals(
          active.certificate().get().notAfter(), written.certificate().orElseThrow().notAfter());
      assertTrue(
          Files.readString(dir.resolve("kubelet.conf"))
              .contains("client-certificate: \"" + current + "\""));
      assertEquals(1, signer.seen.size());
    }
  }

  @Test
  void aValidKubeconfigNeedsNoBootstrap() throws Exception {
    embeddedKubeconfig(
        ca.nodeCertificate(
            "worker-1", clock.instant().minusSeconds(5), clock.instant().plusSeconds(600)));
    try (FakeSigner signer = new FakeSigner(client, ca, Duration.ofMinutes(10), false)) {
      NodeCredentials.Active active = credentials(bootstrapKubeconfig(), false).obtain();
      assertTrue(active.certificate().isPresent());
      assertEquals(0, signer.seen.size());
      assertFalse(
          Files.exists(dir.resolve("pki/kubelet-client-current.pem")),
          "without rotation the store is not used");
    }
  }

  @Test
  void anExpiredKubeconfigCertificateFallsBackToBootstrap() throws Exception {
    embeddedKubeconfig(
        ca.nodeCertificate(
            "worker-1", clock.instant().minusSeconds(600), clock.instant().minusSeconds(5)));
    try (FakeSigner signer = new FakeSigner(client, ca, Duration.ofMinutes(10), false)) {
      NodeCredentials.Active active = credentials(bootstrapKubeconfig(), true).obtain();
      assertFalse(active.certificate().orElseThrow().expiredAt(clock.instant()));
      assertEquals(1, signer.seen.size());
    }
  }

  @Test
  void withRotationAnEmbeddedCertificateBecomesTheCurrentPemAsKubeletFinalizeExpects()
      throws Exception {
    ClientCertificate embedded =
        ca.nodeCertificate(
            "worker-1", clock.instant().minusSeconds(5), clock.instant().plusSeconds(600));
    embeddedKubeconfig(embedded);

    NodeCredentials.Active active = credentials(null, true).obtain();

    CertificateFiles files = new CertificateFiles(dir.resolve("pki"));
    assertEquals(embedded.certificatePem(), files.current().orElseThrow().certificatePem());
    assertTrue(active.renewable());
    // a second start does not write it again
    credentials(null, true).obtain();
    try (var listing = Files.list(dir.resolve("pki"))) {
      assertEquals(2, listing.count(), "one timestamped file and the symlink");
    }
  }

  @Test
  void renewalStoresANewCertificateAndSwitchesToIt() throws Exception {
    ClientCertificate embedded =
        ca.nodeCertificate(
            "worker-1", clock.instant().minusSeconds(5), clock.instant().plusSeconds(600));
    embeddedKubeconfig(embedded);
    NodeCredentials credentials = credentials(null, true);
    NodeCredentials.Active first = credentials.obtain();

    try (FakeSigner signer = new FakeSigner(client, ca, Duration.ofMinutes(20), false)) {
      NodeCredentials.Active renewed = credentials.renew(client);

      assertNotEquals(
          first.certificate().orElseThrow().certificatePem(),
          renewed.certificate().orElseThrow().certificatePem());
      assertTrue(
          renewed.certificate().get().notAfter().isAfter(first.certificate().get().notAfter()));
      assertEquals(
          renewed.certificate().get().certificatePem(),
          new CertificateFiles(dir.resolve("pki")).current().orElseThrow().certificatePem());
      // and a restart keeps using the renewed one, not the older embedded certificate
      assertEquals(
          renewed.certificate().get().notAfter(),
          credentials(null, true).obtain().certificate().get().notAfter());
    }
  }

  @Test
  void withoutBootstrapAMissingKubeconfigIsAnErrorNamingIt() {
    CredentialsException e =
        assertThrows(CredentialsException.class, () -> credentials(null, true).obtain());
    assertTrue(
        e.getMessage().contains("kubelet.conf") && e.getMessage().contains("does not exist"),
        e.getMessage());
  }

  @Test
  void withoutBootstrapAnExpiredCertificateIsAnErrorSayingSo() throws Exception {
    Instant now = clock.instant();
    embeddedKubeconfig(ca.nodeCertificate("worker-1", now.minusSeconds(600), now.minusSeconds(5)));
    CredentialsException e =
        assertThrows(CredentialsException.class, () -> credentials(null, false).obtain());
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
  }

  @Test
  void aDeniedBootstrapCsrIsAClearError() throws Exception {
    try (FakeSigner signer = new FakeSigner(client, ca, Duration.ofMinutes(10), true)) {
      Path bootstrap = bootstrapKubeconfig();
      CredentialsException e =
          assertThrows(CredentialsException.class, () -> credentials(bootstrap, false).obtain());
      assertTrue(e.getMessage().contains("denied"), e.getMessage());
      assertFalse(Files.exists(dir.resolve("kubelet.conf")));
    }
  }
}
