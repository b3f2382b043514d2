package io.staticlet.mirror.credentials;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * When to renew: at a jittered 70–90 % of the certificate's lifetime, as the kubelet's certificate
 * manager ({@code nextRotationDeadline}: {@code notBefore + Jitter(total, 0.2) - 0.3 * total}), so
 * nodes that joined together do not all renew at once.
 */
public final class RotationDeadline {
  private RotationDeadline() {}

  /**
   * @param random uniform in [0, 1)
   */
  public static Instant of(ClientCertificate certificate, DoubleSupplier random) {
    long totalMillis = certificate.lifetime().toMillis();
    double fraction = 0.7 + 0.2 * random.getAsDouble();
    return certificate.notBefore().plus(Duration.ofMillis((long) (totalMillis * fraction)));
  }
}
