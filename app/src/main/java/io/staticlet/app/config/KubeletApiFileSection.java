package io.staticlet.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads the kubelet API's fields of a KubeletConfiguration file with the v1beta1 defaults
 * (anonymous off, webhook authentication on, authorization mode Webhook), as kubeadm relies on; a
 * zero port or duration means the default, as v1beta1 defaulting does.
 */
final class KubeletApiFileSection {
  private KubeletApiFileSection() {}

  static KubeletApiConfig read(Path file, JsonNode root) {
    Path dir = file.toAbsolutePath().getParent();
    JsonNode authn = object(file, root, "authentication");
    JsonNode authz = object(file, root, "authorization");
    JsonNode x509 = object(file, authn, "authentication.x509");
    JsonNode webhook = object(file, authn, "authentication.webhook");
    JsonNode anonymous = object(file, authn, "authentication.anonymous");
    JsonNode authzWebhook = object(file, authz, "authorization.webhook");
    Integer port = integer(file, root.get("port"), "port");
    if (port != null && (port < 0 || port > 65535)) {
      throw new ConfigException(
          "--config " + file + ": port: expected a port number 1-65535, got " + port);
    }
    String mode = text(authz, "mode");
    if (mode != null
        && !mode.equals(KubeletApiConfig.ALWAYS_ALLOW)
        && !mode.equals(KubeletApiConfig.WEBHOOK)) {
      throw new ConfigException(
          "--config "
              + file
              + ": authorization.mode: expected AlwaysAllow or Webhook, got "
              + mode);
    }
    return new KubeletApiConfig(
        port == null || port == 0 ? 10250 : port, // v1beta1: 0 is the default
        path(dir, text(root, "tlsCertFile")),
        path(dir, text(root, "tlsPrivateKeyFile")),
        path(dir, text(x509, "clientCAFile")),
        bool(file, anonymous, "enabled", "authentication.anonymous.enabled", false),
        bool(file, webhook, "enabled", "authentication.webhook.enabled", true),
        duration(
            file, webhook, "cacheTTL", "authentication.webhook.cacheTTL", Duration.ofMinutes(2)),
        mode == null ? KubeletApiConfig.WEBHOOK : mode,
        duration(
            file,
            authzWebhook,
            "cacheAuthorizedTTL",
            "authorization.webhook.cacheAuthorizedTTL",
            Duration.ofMinutes(5)),
        duration(
            file,
            authzWebhook,
            "cacheUnauthorizedTTL",
            "authorization.webhook.cacheUnauthorizedTTL",
            Duration.ofSeconds(30)),
        bool(file, root, "enableDebuggingHandlers", "enableDebuggingHandlers", true));
  }

  private static JsonNode object(Path file, JsonNode parent, String name) {
    String leaf = name.substring(name.lastIndexOf('.') + 1);
    JsonNode n = parent == null ? null : parent.get(leaf);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isObject()) {
      throw new ConfigException(
          "--config " + file + ": " + name + ": expected an object, got " + n);
    }
    return n;
  }

  private static String text(JsonNode parent, String field) {
    JsonNode n = parent == null ? null : parent.get(field);
    return n == null || n.isNull() || n.asText().isEmpty() ? null : n.asText();
  }

  private static Path path(Path dir, String value) {
    return value == null ? null : dir.resolve(value).normalize();
  }

  private static Integer integer(Path file, JsonNode n, String name) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new ConfigException(
          "--config " + file + ": " + name + ": expected an integer, got " + n);
    }
    return n.asInt();
  }

  private static boolean bool(
      Path file, JsonNode parent, String field, String name, boolean fallback) {
    JsonNode n = parent == null ? null : parent.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isBoolean()) {
      throw new ConfigException(
          "--config " + file + ": " + name + ": expected true or false, got " + n);
    }
    return n.asBoolean();
  }

  private static Duration duration(
      Path file, JsonNode parent, String field, String name, Duration fallback) {
    String value = text(parent, field);
    if (value == null) {
      return fallback;
    }
    Duration d;
    try {
      d = GoDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--config " + file + ": " + name + ": " + e.getMessage());
    }
    if (d.isNegative()) {
      throw new ConfigException(
          "--config " + file + ": " + name + ": must not be negative, got " + value);
    }
    return d.isZero() ? fallback : d; // v1beta1: zero (kubeadm writes 0s) is the default
  }
}
