package io.staticlet.app.kubeletapi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.X509TrustManager;

/**
 * The kubelet's authenticator chain ({@code cmd/kubelet/app/auth.go}): an x509 client certificate
 * signed by {@code clientCAFile} (user = CN, groups = O), else a Bearer token checked with a
 * TokenReview (answers cached {@code cacheTTL}), else {@code system:anonymous} when enabled.
 * Credentials that were presented and failed are never downgraded to anonymous: 401.
 */
final class KubeletAuthenticator {
  /** Thrown when the request is not authenticated: the router answers 401 {@code Unauthorized}. */
  static final class Unauthenticated extends Exception {
    Unauthenticated(String reason) {
      super(reason, null, false, false);
    }
  }

  private static final String AUTHENTICATED = "system:authenticated";

  private final X509TrustManager clientCa; // null: no x509 authentication
  private final AccessReviews reviews; // null: no token webhook
  private final boolean anonymous;
  private final Duration tokenTtl;
  private final TtlCache<String, Optional<RequestUser>> tokens;

  KubeletAuthenticator(
      X509TrustManager clientCa,
      AccessReviews reviews,
      boolean anonymous,
      Duration tokenTtl,
      Clock clock) {
    this.clientCa = clientCa;
    this.reviews = reviews;
    this.anonymous = anonymous;
    this.tokenTtl = tokenTtl;
    this.tokens = new TtlCache<>(clock, 1024);
  }

  /**
   * @param peerCertificates the client's chain from the TLS session, or null/empty
   * @param authorization the {@code Authorization} header, or null
   */
  RequestUser authenticate(X509Certificate[] peerCertificates, String authorization)
      throws Unauthenticated {
    if (clientCa != null && peerCertificates != null && peerCertificates.length > 0) {
      return withAuthenticatedGroup(fromCertificate(peerCertificates));
    }
    if (reviews != null
        && authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      if (!token.isEmpty()) {
        return withAuthenticatedGroup(fromToken(token));
      }
    }
    if (anonymous) {
      return RequestUser.ANONYMOUS;
    }
    throw new Unauthenticated("no credentials and anonymous requests are disabled");
  }

  private RequestUser fromCertificate(X509Certificate[] chain) throws Unauthenticated {
    try {
      clientCa.checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
    } catch (CertificateException | RuntimeException e) {
      throw new Unauthenticated(
          "client certificate not verified by the client CA: " + e.getMessage());
    }
    String cn = "";
    List<String> organizations = new ArrayList<>();
    try {
      for (Rdn rdn : new LdapName(chain[0].getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = String.valueOf(rdn.getValue());
        } else if (rdn.getType().equalsIgnoreCase("O")) {
          organizations.add(String.valueOf(rdn.getValue()));
        }
      }
    } catch (InvalidNameException e) {
      throw new Unauthenticated("client certificate subject unreadable: " + e.getMessage());
    }
    if (cn.isEmpty()) {
      throw new Unauthenticated("client certificate has no common name");
    }
    return new RequestUser(cn, organizations);
  }

  private RequestUser fromToken(String token) throws Unauthenticated {
    String key = sha256(token);
    Optional<RequestUser> user =
        tokens
            .get(key)
            .orElseGet(
                () -> {
                  Optional<RequestUser> reviewed =
                      reviews.reviewToken(token); // throws when the API server cannot answer
                  tokens.put(key, reviewed, tokenTtl);
                  return reviewed;
                });
    return user.orElseThrow(
        () -> new Unauthenticated("token not authenticated by the TokenReview"));
  }

  private static RequestUser withAuthenticatedGroup(RequestUser user) {
    if (user.groups().contains(AUTHENTICATED)) {
      return user;
    }
    List<String> groups = new ArrayList<>(user.groups());
    groups.add(AUTHENTICATED);
    return new RequestUser(user.name(), groups);
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
