package io.staticlet.mirror.credentials;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the API server for a client certificate as the kubelet does ({@code
 * client-go/util/certificate/csr}): creates a {@code certificates.k8s.io/v1}
 * CertificateSigningRequest (v1beta1 when the server has no v1, as client-go falls back), then
 * polls it with back-off until the signer issued the certificate, or it was denied or failed.
 * Blocks the calling thread; never called on a loop that other work waits for.
 */
public final class CsrClient {
  private static final Logger log = LoggerFactory.getLogger(CsrClient.class);

  /** The kubelet gives up on one CSR after an hour. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);

  private static final Duration STILL_WAITING_EVERY = Duration.ofSeconds(30);

  /** How the waiting paces itself; tests poll fast. */
  public record Pacing(Duration firstPoll, Duration maxPoll, Duration timeout) {
    public static Pacing kubelet() {
      return new Pacing(Duration.ofMillis(500), Duration.ofSeconds(5), DEFAULT_TIMEOUT);
    }
  }

  /**
   * The CSR was denied or failed: a new request with the same credentials will not change that
   * soon.
   */
  public static final class CsrRefusedException extends CredentialsException {
    public CsrRefusedException(String message) {
      super(message);
    }
  }

  private final KubernetesClient client;
  private final Clock clock;
  private final Pacing pacing;

  public CsrClient(KubernetesClient client, Clock clock, Pacing pacing) {
    this.client = Objects.requireNonNull(client);
    this.clock = clock;
    this.pacing = pacing;
  }

  /**
   * Creates the CSR for {@code request}, waits for its certificate and returns it with the
   * request's key.
   */
  public ClientCertificate request(NodeCsr request) throws InterruptedException {
    String name = nameOf(request);
    String encoded =
        Base64.getEncoder().encodeToString(request.csrPem().getBytes(StandardCharsets.US_ASCII));
    boolean v1 = true;
    try {
      client
          .certificates()
          .v1()
          .certificateSigningRequests()
          .resource(
              new CertificateSigningRequestBuilder()
                  .withMetadata(new ObjectMetaBuilder().withName(name).build())
                  .withNewSpec()
                  .withRequest(encoded)
                  .withSignerName(NodeCsr.SIGNER)
                  .withUsages(NodeCsr.USAGES)
                  .endSpec()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        v1 = false;
        createV1beta1(name, encoded);
      } else if (e.getCode()
          != 409) { // 409: our own request of an earlier attempt (the name is the key's digest)
        throw refusedOrFailed("cannot create CertificateSigningRequest " + name, e);
      }
    }
    log.info(
        "requested a client certificate csr={} signer={} subject=\"O=system:nodes, CN=system:node:{}\" api={}",
        name,
        NodeCsr.SIGNER,
        request.nodeName(),
        v1 ? "certificates.k8s.io/v1" : "certificates.k8s.io/v1beta1");
    String certificatePem = await(name, v1);
    return ClientCertificate.of(certificatePem, request.keyPem());
  }

  private void createV1beta1(String name, String encoded) {
    try {
      client
          .certificates()
          .v1beta1()
          .certificateSigningRequests()
          .resource(
              new io.fabric8.kubernetes.api.model.certificates.v1beta1
                      .CertificateSigningRequestBuilder()
                  .withMetadata(new ObjectMetaBuilder().withName(name).build())
                  .withNewSpec()
                  .withRequest(encoded)
                  .withSignerName(NodeCsr.SIGNER)
                  .withUsages(NodeCsr.USAGES)
                  .endSpec()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw refusedOrFailed("cannot create CertificateSigningRequest " + name + " (v1beta1)", e);
      }
    }
  }

  private String await(String name, boolean v1) throws InterruptedException {
    Instant start = clock.instant();
    Instant nextNote = start.plus(STILL_WAITING_EVERY);
    Duration pause = pacing.firstPoll();
    while (true) {
      Observed observed;
      try {
        observed = v1 ? observeV1(name) : observeV1beta1(name);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 401 || e.getCode() == 403) {
          throw refusedOrFailed("cannot read CertificateSigningRequest " + name, e);
        }
        observed = new Observed(null, null, "error reading it: " + e.getMessage());
      }
      if (observed.refusal() != null) {
        log.error("client certificate request refused csr={} {}", name, observed.refusal());
        throw new CsrRefusedException(
            "CertificateSigningRequest " + name + " " + observed.refusal());
      }
      if (observed.certificate() != null) {
        log.info(
            "client certificate issued csr={} after={}s",
            name,
            Duration.between(start, clock.instant()).toSeconds());
        return observed.certificate();
      }
      Instant now = clock.instant();
      if (!now.isBefore(start.plus(pacing.timeout()))) {
        throw new CredentialsException(
            "CertificateSigningRequest "
                + name
                + ": no certificate after "
                + pacing.timeout().toMinutes()
                + " min ("
                + observed.state()
                + ")");
      }
      if (!now.isBefore(nextNote)) {
        log.info(
            "still waiting for the client certificate csr={} state={} waited={}s (approve it with "
                + "'kubectl certificate approve {}')",
            name,
            observed.state(),
            Duration.between(start, now).toSeconds(),
            name);
        nextNote = now.plus(STILL_WAITING_EVERY);
      }
      Thread.sleep(pause.toMillis());
      pause = min(pause.multipliedBy(2), pacing.maxPoll());
    }
  }

  private record Observed(String certificate, String refusal, String state) {}

  /** One condition of either API version. */
  private record Condition(String type, String reason, String message) {}

  private Observed observeV1(String name) {
    CertificateSigningRequest csr =
        client.certificates().v1().certificateSigningRequests().withName(name).get();
    if (csr == null) {
      return new Observed(null, "was deleted", "deleted");
    }
    var status = csr.getStatus();
    List<Condition> conditions =
        status == null || status.getConditions() == null
            ? List.of()
            : status.getConditions().stream()
                .map(c -> new Condition(c.getType(), c.getReason(), c.getMessage()))
                .toList();
    return judge(conditions, status == null ? null : status.getCertificate());
  }

  private Observed observeV1beta1(String name) {
    var csr = client.certificates().v1beta1().certificateSigningRequests().withName(name).get();
    if (csr == null) {
      return new Observed(null, "was deleted", "deleted");
    }
    var status = csr.getStatus();
    List<Condition> conditions =
        status == null || status.getConditions() == null
            ? List.of()
            : status.getConditions().stream()
                .map(c -> new Condition(c.getType(), c.getReason(), c.getMessage()))
                .toList();
    return judge(conditions, status == null ? null : status.getCertificate());
  }

  /** Denied or Failed: refused; Approved with a certificate: issued; else still waiting. */
  private static Observed judge(List<Condition> conditions, String certificate) {
    boolean approved = false;
    for (Condition c : conditions) {
      String type = String.valueOf(c.type());
      if (type.equals("Denied") || type.equals("Failed")) {
        return new Observed(
            null,
            "was "
                + type.toLowerCase(Locale.ROOT)
                + ": reason="
                + c.reason()
                + " message="
                + c.message(),
            type);
      }
      approved |= type.equals("Approved");
    }
    if (approved && certificate != null && !certificate.isBlank()) {
      return new Observed(decode(certificate), null, "Issued");
    }
    return new Observed(null, null, approved ? "Approved, not issued yet" : "Pending approval");
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.US_ASCII);
  }

  private static CredentialsException refusedOrFailed(String what, KubernetesClientException e) {
    String message =
        what
            + ": HTTP "
            + e.getCode()
            + " "
            + (e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage());
    return e.getCode() == 401 || e.getCode() == 403
        ? new CsrRefusedException(message)
        : new CredentialsException(message, e);
  }

  /**
   * {@code node-csr-<digest>}: the same key always asks under the same name, as the kubelet's
   * digestedName.
   */
  static String nameOf(NodeCsr request) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(request.csrPem().getBytes(StandardCharsets.US_ASCII));
      return "node-csr-" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
