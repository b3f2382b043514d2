package io.staticlet.app.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The authenticated kubelet API ({@code port}, default 10250), flags merged over the
 * KubeletConfiguration file.
 *
 * @param tlsCertFile null: a self-signed certificate under {@code <root-dir>/pki}
 * @param clientCaFile null: no x509 client authentication
 * @param authorizationMode {@code AlwaysAllow} or {@code Webhook}
 */
public record KubeletApiConfig(
    int port,
    Path tlsCertFile,
    Path tlsPrivateKeyFile,
    Path clientCaFile,
    boolean anonymousEnabled,
    boolean webhookEnabled,
    Duration webhookCacheTtl,
    String authorizationMode,
    Duration authorizedTtl,
    Duration unauthorizedTtl,
    boolean enableDebuggingHandlers) {
  public static final String ALWAYS_ALLOW = "AlwaysAllow";
  public static final String WEBHOOK = "Webhook";

  public boolean webhookAuthorization() {
    return WEBHOOK.equals(authorizationMode);
  }

  /**
   * The flag-only defaults (kubelet 1.20 flags): anonymous, AlwaysAllow, a self-signed certificate.
   */
  public static KubeletApiConfig flagDefaults() {
    return new KubeletApiConfig(
        10250,
        null,
        null,
        null,
        true,
        false,
        Duration.ofMinutes(2),
        ALWAYS_ALLOW,
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        true);
  }
}
