package io.staticlet.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subset of a {@code KubeletConfiguration} ({@code kubelet.config.k8s.io/v1beta1}) staticlet
 * reads. Relative paths resolve against the file's directory, as the kubelet does. Fields the
 * kubelet knows but staticlet does not use are ignored with one INFO line; anything else is an error.
 */
public record KubeletConfigFile(
    Path file,
    Path staticPodPath,
    Duration fileCheckFrequency,
    Duration syncFrequency,
    Integer healthzPort,
    String healthzBindAddress,
    Integer readOnlyPort,
    String address,
    Integer oomScoreAdj) {
  private static final Logger log = LoggerFactory.getLogger(KubeletConfigFile.class);
  private static final Set<String> USED = Set.of("apiVersion", "kind", "staticPodPath", "fileCheckFrequency",
      "syncFrequency", "healthzPort", "healthzBindAddress", "readOnlyPort", "address", "oomScoreAdj");

  public static KubeletConfigFile read(Path file) {
    JsonNode root;
    try {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("--config " + file + ": file does not exist");
      }
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ConfigException("--config " + file + ": not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("--config " + file + ": cannot read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException("--config " + file + ": expected a KubeletConfiguration object");
    }
    String kind = text(root, "kind");
    String apiVersion = text(root, "apiVersion");
    if (!"KubeletConfiguration".equals(kind)) {
      throw new ConfigException("--config " + file + ": kind: expected KubeletConfiguration, got " + kind);
    }
    if (apiVersion == null || !apiVersion.startsWith("kubelet.config.k8s.io/")) {
      throw new ConfigException("--config " + file + ": apiVersion: expected kubelet.config.k8s.io/v1beta1, got " + apiVersion);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      String field = it.next().getKey();
      if (!USED.contains(field)) {
        log.info("config field not used by staticlet, ignored file={} field={}", file, field);
      }
    }
    Path dir = file.toAbsolutePath().getParent();
    String podPath = text(root, "staticPodPath");
    return new KubeletConfigFile(
        file,
        podPath == null || podPath.isEmpty() ? null : dir.resolve(podPath).normalize(),
        duration(file, root, "fileCheckFrequency"),
        duration(file, root, "syncFrequency"),
        port(file, root, "healthzPort"),
        text(root, "healthzBindAddress"),
        port(file, root, "readOnlyPort"),
        text(root, "address"),
        integer(file, root, "oomScoreAdj", -1000, 1000));
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  private static Duration duration(Path file, JsonNode root, String field) {
    String value = text(root, field);
    if (value == null) {
      return null;
    }
    try {
      return GoDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--config " + file + ": " + field + ": " + e.getMessage());
    }
  }

  private static Integer port(Path file, JsonNode root, String field) {
    return integer(file, root, field, 0, 65535);
  }

  private static Integer integer(Path file, JsonNode root, String field, int min, int max) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
      String what = min == 0 && max == 65535 ? "a port number 0-65535" : "an integer " + min + " to " + max;
      throw new ConfigException("--config " + file + ": " + field + ": expected " + what + ", got " + n);
    }
    return n.asInt();
  }
}
