package io.staticlet.app.tls;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that accepts any peer certificate. Used where the kubelet does not verify at the
 * TLS layer: HTTPS probes (the kubelet's prober skips verification) and the kubelet API's client
 * certificate request (verified afterwards by the authenticator, so a bad certificate gets a 401,
 * not a TLS alert). It only advertises {@code acceptedIssuers} in a certificate request.
 */
public final class AcceptAnyCertificate extends X509ExtendedTrustManager {
  private final X509Certificate[] acceptedIssuers;

  public AcceptAnyCertificate(X509Certificate... acceptedIssuers) {
    this.acceptedIssuers = acceptedIssuers.clone();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {}

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return acceptedIssuers.clone();
  }
}
