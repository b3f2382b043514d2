package io.staticlet.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.staticlet.app.kubeletapi.ServingCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The kubelet's flags of the authenticated API on {@code --port} (kubelet 1.20 names and flag
 * defaults).
 */
public final class KubeletApiFlags {
  @Option(
      names = "--port",
      paramLabel = "PORT",
      description =
          "Port of the kubelet API (HTTPS: logs, exec, /configz, /pods, /metrics, /stats). Default 10250.")
  Integer port;

  @Option(
      names = "--tls-cert-file",
      paramLabel = "FILE",
      description =
          "Serving certificate of the kubelet API (default: self-signed, generated once under <root-dir>/pki).")
  Path tlsCertFile;

  @Option(
      names = "--tls-private-key-file",
      paramLabel = "FILE",
      description = "Private key of --tls-cert-file.")
  Path tlsPrivateKeyFile;

  @Option(
      names = "--client-ca-file",
      paramLabel = "FILE",
      description =
          "CA bundle: client certificates it signed authenticate (user = CN, groups = O).")
  Path clientCaFile;

  @Option(
      names = "--anonymous-auth",
      paramLabel = "BOOL",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Requests without credentials are system:anonymous (flag default true; false with --config).")
  Boolean anonymousAuth;

  @Option(
      names = "--authentication-token-webhook",
      paramLabel = "BOOL",
      arity = "0..1",
      fallbackValue = "true",
      description =
          "Bearer tokens are checked with a TokenReview (flag default false; true with --config).")
  Boolean tokenWebhook;

  @Option(
      names = "--authentication-token-webhook-cache-ttl",
      paramLabel = "DURATION",
      description = "How long TokenReview answers are cached (default 2m).")
  String tokenWebhookCacheTtl;

  @Option(
      names = "--authorization-mode",
      paramLabel = "MODE",
      description =
          "AlwaysAllow or Webhook (SubjectAccessReview) (flag default AlwaysAllow; Webhook with --config).")
  String authorizationMode;

  @Option(
      names = "--authorization-webhook-cache-authorized-ttl",
      paramLabel = "DURATION",
      description = "How long allowed SubjectAccessReview answers are cached (default 5m).")
  String authorizedTtl;

  @Option(
      names = "--authorization-webhook-cache-unauthorized-ttl",
      paramLabel = "DURATION",
      description = "How long denied SubjectAccessReview answers are cached (default 30s).")
  String unauthorizedTtl;

  @Option(
      names = "--enable-debugging-handlers",
      paramLabel = "BOOL",
      arity = "0..1",
      fallbackValue = "true",
      description = "Serve logs, exec, attach, port-forward and /configz (default true).")
  Boolean enableDebuggingHandlers;

  /**
   * These flags over {@code base} (the file's values with v1beta1 defaults, or {@link
   * KubeletApiConfig#flagDefaults()}); throws {@link ConfigException} naming the flag.
   */
  KubeletApiConfig resolve(KubeletApiConfig base, boolean clusterMode, JsonNode document) {
    int p = port != null ? port : base.port();
    if (p < 1 || p > 65535) {
      throw new ConfigException(
          "--port: expected a port number 1-65535, got "
              + p
              + " (the kubelet API cannot be turned off, as the kubelet's)");
    }
    String mode = authorizationMode != null ? authorizationMode.trim() : base.authorizationMode();
    boolean webhook = tokenWebhook != null ? tokenWebhook : base.webhookEnabled();
    if (!clusterMode && document != null) {
      // standalone with a config file: the v1beta1 defaults (webhook, Webhook) cannot work without
      // an
      // API server; unless asked for explicitly they give way to no webhook and AlwaysAllow
      // (anonymous stays off)
      if (tokenWebhook == null && document.at("/authentication/webhook/enabled").isMissingNode()) {
        webhook = false;
      }
      if (authorizationMode == null && document.at("/authorization/mode").isMissingNode()) {
        mode = KubeletApiConfig.ALWAYS_ALLOW;
      }
    }
    if (!mode.equals(KubeletApiConfig.ALWAYS_ALLOW) && !mode.equals(KubeletApiConfig.WEBHOOK)) {
      throw new ConfigException(
          "--authorization-mode: expected AlwaysAllow or Webhook, got " + mode);
    }
    KubeletApiConfig merged =
        new KubeletApiConfig(
            p,
            absolute(tlsCertFile, base.tlsCertFile()),
            absolute(tlsPrivateKeyFile, base.tlsPrivateKeyFile()),
            absolute(clientCaFile, base.clientCaFile()),
            anonymousAuth != null ? anonymousAuth : base.anonymousEnabled(),
            webhook,
            duration(
                "--authentication-token-webhook-cache-ttl",
                tokenWebhookCacheTtl,
                base.webhookCacheTtl()),
            mode,
            duration(
                "--authorization-webhook-cache-authorized-ttl",
                authorizedTtl,
                base.authorizedTtl()),
            duration(
                "--authorization-webhook-cache-unauthorized-ttl",
                unauthorizedTtl,
                base.unauthorizedTtl()),
            enableDebuggingHandlers != null
                ? enableDebuggingHandlers
                : base.enableDebuggingHandlers());
    if ((merged.tlsCertFile() == null) != (merged.tlsPrivateKeyFile() == null)) {
      throw new ConfigException(
          "--tls-cert-file and --tls-private-key-file (tlsCertFile, tlsPrivateKeyFile): "
              + "give both or neither");
    }
    // a file that is there must be PEM; a missing one may still come (the kubelet API waits for it)
    try {
      if (exists(merged.tlsCertFile()) && exists(merged.tlsPrivateKeyFile())) {
        ServingCertificate.read(merged.tlsCertFile(), merged.tlsPrivateKeyFile());
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "--tls-cert-file/--tls-private-key-file (tlsCertFile, tlsPrivateKeyFile): "
              + e.getMessage());
    }
    try {
      if (exists(merged.clientCaFile())) {
        ServingCertificate.readBundle(merged.clientCaFile());
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "--client-ca-file (authentication.x509.clientCAFile): " + e.getMessage());
    }
    if (!clusterMode && merged.webhookEnabled()) {
      throw new ConfigException(
          "--authentication-token-webhook (authentication.webhook.enabled) needs --kubeconfig: "
              + "without an API server no TokenReview can be made; set it to false (x509 and anonymous still work)");
    }
    if (!clusterMode && merged.webhookAuthorization()) {
      throw new ConfigException(
          "--authorization-mode Webhook (authorization.mode) needs --kubeconfig: "
              + "without an API server no SubjectAccessReview can be made; use AlwaysAllow in standalone mode");
    }
    return merged;
  }

  private static Path absolute(Path flag, Path fromFile) {
    return flag != null ? flag.toAbsolutePath().normalize() : fromFile;
  }

  private static boolean exists(Path file) {
    return file != null && Files.exists(file);
  }

  private static Duration duration(String name, String flag, Duration fallback) {
    Duration d;
    try {
      d = flag == null ? fallback : GoDuration.parse(flag);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + ": " + e.getMessage());
    }
    if (d.isNegative()) {
      throw new ConfigException(name + ": must not be negative");
    }
    return d;
  }
}
