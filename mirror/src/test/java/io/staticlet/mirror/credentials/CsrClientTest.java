package io.staticlet.mirror.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CsrClientTest {
  static final CsrClient.Pacing FAST =
      new CsrClient.Pacing(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofMinutes(1));
  KubernetesClient client;
  private final TestCa ca = new TestCa();

  @Test
  void sendsTheKubeletsCsrAndReturnsTheIssuedCertificateWithTheNewKey() throws Exception {
    NodeCsr request = NodeCsr.generate("worker-1");
    try (FakeSigner signer = new FakeSigner(client, ca, Duration.ofMinutes(10), false)) {
      ClientCertificate issued = new CsrClient(client, Clock.systemUTC(), FAST).request(request);

      assertEquals("CN=system:node:worker-1,O=system:nodes", issued.subject());
      assertEquals(request.keyPem(), issued.keyPem());
      CertificateSigningRequest sent = signer.seen.get(0);
      assertEquals("kubernetes.io/kube-apiserver-client-kubelet", sent.getSpec().getSignerName());
      assertEquals(
          List.of("digital signature", "key encipherment", "client auth"),
          sent.getSpec().getUsages());
      assertEquals(
          request.csrPem(),
          new String(
              Base64.getDecoder().decode(sent.getSpec().getRequest()), StandardCharsets.US_ASCII));
      assertTrue(
          sent.getMetadata().getName().startsWith("node-csr-"), sent.getMetadata().getName());
    }
  }

  @Test
  void aDeniedCsrIsAClearError() {
    try (FakeSigner signer = new FakeSigner(client, ca, Duration.ofMinutes(10), true)) {
      CsrClient.CsrRefusedException e =
          assertThrows(
              CsrClient.CsrRefusedException.class,
              () ->
                  new CsrClient(client, Clock.systemUTC(), FAST)
                      .request(NodeCsr.generate("worker-1")));
      assertTrue(
          e.getMessage().contains("denied") && e.getMessage().contains("TestDenied"),
          e.getMessage());
    }
  }

  @Test
  void noCertificateWithinTheTimeoutIsAnErrorNamingTheCsr() {
    CsrClient.Pacing short_ =
        new CsrClient.Pacing(Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(300));
    CredentialsException e =
        assertThrows(
            CredentialsException.class,
            () ->
                new CsrClient(client, Clock.systemUTC(), short_)
                    .request(NodeCsr.generate("worker-1")));
    assertTrue(
        e.getMessage().contains("node-csr-") && e.getMessage().contains("Pending approval"),
        e.getMessage());
  }
}
