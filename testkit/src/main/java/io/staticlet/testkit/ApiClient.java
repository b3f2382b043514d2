package io.staticlet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Raw HTTPS requests to the test kube-apiserver, for assertions on exact HTTP status codes that
 * kubectl hides. Authenticates with a client certificate (PEM files written by {@code
 * controlplane.sh}) or a bearer token; trusts only the control plane's CA. Thread-safe.
 */
public final class ApiClient {

  /** Status code and body of one response. */
  public record Response(int status, String body) {
    @Override
    public String toString() {
      return "HTTP " + status + " " + body;
    }
  }

  private final HttpClient http;
  private final URI server;
  private final String bearerToken;

  private ApiClient(HttpClient http, URI server, String bearerToken) {
    this.http = http;
    this.server = server;
    this.bearerToken = bearerToken;
  }

  /** Client authenticating with the PEM certificate and PKCS#8 key. */
  static ApiClient withClientCertificate(URI server, Path caCert, Path cert, Path key) {
    return new ApiClient(httpClient(caCert, cert, key), server, null);
  }

  /** Client authenticating with a bearer token (service-account token). */
  static ApiClient withToken(URI server, Path caCert, String token) {
    return new ApiClient(httpClient(caCert, null, null), server, token);
  }

  public Response get(String path) {
    return send("GET", path, null);
  }

  public Response post(String path, String json) {
    return send("POST", path, json);
  }

  public Response delete(String path, String deleteOptionsJson) {
    return send("DELETE", path, deleteOptionsJson);
  }

  public Response send(String method, String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Accept", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + method + " " + path, e);
    }
  }

  private static HttpClient httpClient(Path caCert, Path cert, Path key) {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(caCert)) {
        trust.setCertificateEntry("ca", cf.generateCertificate(in));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);

      KeyManagerFactory kmf = null;
      if (cert != null) {
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(cert)) {
          certificate = (X509Certificate) cf.generateCertificate(in);
        }
        PrivateKey privateKey = readPkcs8Key(key, certificate.getPublicKey().getAlgorithm());
        char[] password = "changeit".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", privateKey, password, new Certificate[] {certificate});
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
      }
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return HttpClient.newBuilder()
          .sslContext(ssl)
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build TLS context from " + caCert + ", " + cert, e);
    }
  }

  private static PrivateKey readPkcs8Key(Path pem, String algorithm)
      throws IOException, GeneralSecurityException {
    String text = Files.readString(pem);
    if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
      throw new IllegalStateException(pem + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY)");
    }
    String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance(algorithm)
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }
}
