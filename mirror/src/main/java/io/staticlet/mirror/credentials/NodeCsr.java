package io.staticlet.mirror.credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A fresh key and the PKCS#10 request the kubelet sends for its client certificate ({@code
 * pkg/kubelet/certificate/bootstrap/bootstrap.go requestNodeCertificate}): ECDSA P-256, {@code
 * O=system:nodes, CN=system:node:<node>}, signed with SHA256withECDSA. The key is PKCS#8 ({@code
 * PRIVATE KEY}), which Go's {@code tls.X509KeyPair} and fabric8 both read. BouncyCastle only builds
 * the request; signing uses the JDK's own provider (no JCE provider is registered).
 *
 * @param csrPem {@code CERTIFICATE REQUEST} PEM, what goes (base64) into {@code spec.request}
 * @param keyPem the new private key
 */
public record NodeCsr(String nodeName, String csrPem, String keyPem) {
  /**
   * {@code kubernetes.io/kube-apiserver-client-kubelet}: the kubelet's client-certificate signer.
   */
  public static final String SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";

  /**
   * The kubelet's usages, in its order (docs/kubeadm.md: what the csrapproving controller accepts).
   */
  public static final List<String> USAGES =
      List.of("digital signature", "key encipherment", "client auth");

  public static NodeCsr generate(String nodeName) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair key = generator.generateKeyPair();
      X500Name subject =
          new X500NameBuilder(BCStyle.INSTANCE)
              .addRDN(BCStyle.O, "system:nodes")
              .addRDN(BCStyle.CN, "system:node:" + nodeName)
              .build();
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate());
      PKCS10CertificationRequest request =
          new JcaPKCS10CertificationRequestBuilder(subject, key.getPublic()).build(signer);
      return new NodeCsr(
          nodeName,
          Pem.encode("CERTIFICATE REQUEST", request.getEncoded()),
          Pem.encode("PRIVATE KEY", key.getPrivate().getEncoded()));
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot create an ECDSA P-256 key and CSR: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
