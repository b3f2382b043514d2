package io.staticlet.mirror.credentials;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What the controller-manager's csrapproving and csrsigning controllers do, against the mock
 * server: every pending CSR is approved and issued (or denied), by setting its status the way the
 * controllers write it.
 */
public final class FakeSigner implements AutoCloseable {
  private final KubernetesClient admin;
  private final TestCa ca;
  private final Duration lifetime;
  private final boolean deny;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  /** The CSRs seen, in order. */
  public final List<CertificateSigningRequest> seen = new CopyOnWriteArrayList<>();

  public FakeSigner(KubernetesClient admin, TestCa ca, Duration lifetime, boolean deny) {
    this.admin = admin;
    this.ca = ca;
    this.lifetime = lifetime;
    this.deny = deny;
    executor.scheduleWithFixedDelay(this::signPending, 0, 50, TimeUnit.MILLISECONDS);
  }

  private void signPending() {
    try {
      for (CertificateSigningRequest csr :
          admin.certificates().v1().certificateSigningRequests().list().getItems()) {
        if (csr.getStatus() != null
            && csr.getStatus().getConditions() != null
            && !csr.getStatus().getConditions().isEmpty()) {
          continue;
        }
        seen.add(csr);
        String request =
            new String(
                Base64.getDecoder().decode(csr.getSpec().getRequest()), StandardCharsets.US_ASCII);
        Instant now = clock.instant();
        CertificateSigningRequestStatusBuilder status =
            new CertificateSigningRequestStatusBuilder();
        if (deny) {
          status.addToConditions(
              new CertificateSigningRequestConditionBuilder()
                  .withType("Denied")
                  .withStatus("True")
                  .withReason("TestDenied")
                  .withMessage("denied by the test")
                  .build());
        } else {
          status.addToConditions(
              new CertificateSigningRequestConditionBuilder()
                  .withType("Approved")
                  .withStatus("True")
                  .withReason("AutoApproved")
                  .withMessage(
                      "Auto approving kubelet client certificate after SubjectAccessReview.")
                  .build());
          status.withCertificate(
              Base64.getEncoder()
                  .encodeToString(
                      // each certificate outlives the previous one by a second more, even when
                      // issued within the same second
                      ca.sign(
                              request,
                              now.minusSeconds(1),
                              now.plus(lifetime).plusSeconds(seen.size()))
                          .getBytes(StandardCharsets.US_ASCII)));
        }
        csr.setStatus(status.build());
        admin.certificates().v1().certificateSigningRequests().resource(csr).updateStatus();
      }
    } catch (RuntimeException e) {
      // the next round tries again
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
