package io.staticlet.mirror.credentials;

import java.io.StringReader;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A throw-away CA for tests: signs CSRs (what the controller-manager's csrsigning does) and makes
 * node certificates.
 */
public final class TestCa {
  private final KeyPair key;
  private final X500Name name = new X500Name("CN=test-ca");
  private final AtomicLong serial = new AtomicLong(1);

  public TestCa() {
    this.key = ecKey();
  }

  static KeyPair ecKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs the PEM CSR {@code csrPem}; returns the certificate PEM. */
  public String sign(String csrPem, Instant notBefore, Instant notAfter) {
    try (PEMParser parser = new PEMParser(new StringReader(csrPem))) {
      PKCS10CertificationRequest csr = (PKCS10CertificationRequest) parser.readObject();
      JcaPKCS10CertificationRequest jca = new JcaPKCS10CertificationRequest(csr);
      return issue(csr.getSubject(), jca.getPublicKey(), notBefore, notAfter);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate and key for {@code system:node:<node>}, valid in [notBefore, notAfter]. */
  public ClientCertificate nodeCertificate(String node, Instant notBefore, Instant notAfter) {
    NodeCsr csr = NodeCsr.generate(node);
    return ClientCertificate.of(sign(csr.csrPem(), notBefore, notAfter), csr.keyPem());
  }

  private String issue(
      X500Name subject, java.security.PublicKey publicKey, Instant notBefore, Instant notAfter)
      throws Exception {
    JcaX509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(serial.getAndIncrement()),
            Date.from(notBefore),
            Date.from(notAfter),
            subject,
            publicKey);
    builder.addExtension(
        Extension.keyUsage,
        true,
        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    builder.addExtension(
        Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    X509CertificateHolder holder =
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    return Pem.encode("CERTIFICATE", holder.getEncoded());
  }
}
