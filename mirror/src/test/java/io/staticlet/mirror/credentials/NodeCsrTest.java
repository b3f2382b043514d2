package io.staticlet.mirror.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

class NodeCsrTest {
  @Test
  void requestsTheKubeletsSubjectWithAnEcdsaP256KeyAndAValidSignature() throws Exception {
    NodeCsr request = NodeCsr.generate("worker-1");

    PKCS10CertificationRequest csr;
    try (PEMParser parser = new PEMParser(new StringReader(request.csrPem()))) {
      csr = (PKCS10CertificationRequest) parser.readObject();
    }
    assertEquals(
        "system:node:worker-1",
        IETFUtils.valueToString(csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue()));
    assertEquals(
        "system:nodes",
        IETFUtils.valueToString(csr.getSubject().getRDNs(BCStyle.O)[0].getFirst().getValue()));
    assertEquals(2, csr.getSubject().getRDNs().length, "only O and CN, as the kubelet's");
    JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(csr);
    assertEquals("EC", jca.getPublicKey().getAlgorithm());
    assertTrue(
        csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(jca.getPublicKey())));

    String body = request.keyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    ECPrivateKey key =
        (ECPrivateKey)
            KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    assertEquals(256, key.getParams().getCurve().getField().getFieldSize());
  }

  @Test
  void asksTheKubeletSignerForTheKubeletUsages() {
    assertEquals("kubernetes.io/kube-apiserver-client-kubelet", NodeCsr.SIGNER);
    assertEquals(List.of("digital signature", "key encipherment", "client auth"), NodeCsr.USAGES);
  }

  @Test
  void aNewKeyEveryTime() {
    assertTrue(!NodeCsr.generate("n").keyPem().equals(NodeCsr.generate("n").keyPem()));
  }
}
