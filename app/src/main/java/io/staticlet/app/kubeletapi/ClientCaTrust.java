package io.staticlet.app.kubeletapi;

import io.staticlet.app.tls.AcceptAnyCertificate;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The client CA of x509 authentication. As Go's {@code tls.RequestClientCert}, the TLS handshake
 * accepts any client certificate (so a bad one gets the kubelet's 401, not a TLS alert); {@link
 * #verifier()} checks it against the CA (and for client-auth usage) in the authenticator.
 */
final class ClientCaTrust {
  private final List<X509Certificate> cas;
  private final X509TrustManager verifier;

  ClientCaTrust(Path caFile) {
    this.cas = ServingCertificate.readBundle(caFile);
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      X509TrustManager found = null;
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          found = x;
        }
      }
      if (found == null) {
        throw new IllegalStateException("no X509 trust manager");
      }
      this.verifier = found;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          caFile + ": cannot use as client CA: " + e.getMessage(), e);
    }
  }

  X509TrustManager verifier() {
    return verifier;
  }

  /**
   * For the TLS layer: names the CAs in the certificate request, accepts whatever the client sends.
   */
  X509ExtendedTrustManager requestOnly() {
    return new AcceptAnyCertificate(cas.toArray(X509Certificate[]::new));
  }
}
