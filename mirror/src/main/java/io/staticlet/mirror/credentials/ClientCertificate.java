package io.staticlet.mirror.credentials;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A client certificate and its key as PEM (what {@code kubelet-client-current.pem} holds), with the
 * leaf's validity.
 *
 * @param certificatePem the chain, leaf first
 * @param keyPem the private key
 * @param subject the leaf's subject ({@code O=system:nodes,CN=system:node:<node>})
 */
public record ClientCertificate(
    String certificatePem, String keyPem, String subject, Instant notBefore, Instant notAfter) {

  /**
   * Parses the leaf of {@code certificatePem}; throws IllegalArgumentException when there is none.
   */
  public static ClientCertificate of(String certificatePem, String keyPem) {
    List<X509Certificate> chain = Pem.certificates(certificatePem);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no CERTIFICATE block");
    }
    if (keyPem == null || Pem.blocks(keyPem, "PRIVATE KEY").isEmpty()) {
      throw new IllegalArgumentException("no PRIVATE KEY block");
    }
    X509Certificate leaf = chain.get(0);
    if (!matches(leaf, Pem.blocks(keyPem, "PRIVATE KEY").get(0))) {
      throw new IllegalArgumentException(
          "the private key does not belong to the certificate ("
              + leaf.getSubjectX500Principal().getName()
              + ")");
    }
    String certificates = String.join("", Pem.blocks(certificatePem, "CERTIFICATE"));
    return new ClientCertificate(
        certificates,
        Pem.blocks(keyPem, "PRIVATE KEY").get(0),
        leaf.getSubjectX500Principal().getName(),
        leaf.getNotBefore().toInstant(),
        leaf.getNotAfter().toInstant());
  }

  /**
   * Signs a probe with the key and verifies it with the certificate's public key (RSA or EC keys in
   * any PEM form).
   */
  private static boolean matches(X509Certificate leaf, String keyPem) {
    try (PEMParser parser = new PEMParser(new StringReader(keyPem))) {
      Object parsed = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      PrivateKey key =
          parsed instanceof PEMKeyPair pair
              ? converter.getPrivateKey(pair.getPrivateKeyInfo())
              : parsed instanceof PrivateKeyInfo info ? converter.getPrivateKey(info) : null;
      if (key == null) {
        throw new IllegalArgumentException(
            "unsupported private key ("
                + (parsed == null ? "none" : parsed.getClass().getSimpleName())
                + ")");
      }
      String algorithm =
          key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
      byte[] probe = "staticlet".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the private key: " + e.getMessage(), e);
    }
  }

  /** Parses one PEM file that holds both the chain and the key (the kubelet's layout). */
  public static ClientCertificate ofCombined(String pem) {
    List<String> keys = Pem.blocks(pem, "PRIVATE KEY");
    return of(pem, keys.isEmpty() ? null : keys.get(0));
  }

  public Duration lifetime() {
    return Duration.between(notBefore, notAfter);
  }

  public boolean expiredAt(Instant now) {
    return !now.isBefore(notAfter);
  }

  /**
   * Certificate chain followed by the key, as the kubelet writes {@code kubelet-client-<time>.pem}.
   */
  public String combinedPem() {
    return certificatePem + keyPem;
  }
}
