package io.staticlet.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A {@code KubeletConfiguration} ({@code kubelet.config.k8s.io/v1beta1}) as the kubelet 1.20 reads
 * it: every field is accepted; relative paths resolve against the file's directory; a zero duration
 * or a zero count ({@code 0s}, as kubeadm writes every unset duration) means the v1beta1 default,
 * so it reads as absent here. The fields staticlet acts on are typed components; the other v1beta1
 * fields present are listed in {@link #acceptedNotUsed()}, fields v1beta1 does not know (the
 * kubelet 1.20 decodes leniently and drops them) in {@link #unknownFields()}.
 *
 * @param raw the whole document, for fields read elsewhere (authentication, authorization, ...)
 */
public record KubeletConfigFile(
    Path file,
    JsonNode raw,
    Path staticPodPath,
    Duration fileCheckFrequency,
    Duration syncFrequency,
    Integer healthzPort,
    String healthzBindAddress,
    Integer readOnlyPort,
    String address,
    Integer oomScoreAdj,
    Integer maxPods,
    Duration nodeStatusUpdateFrequency,
    Duration nodeStatusReportFrequency,
    Integer nodeLeaseDurationSeconds,
    List<String> acceptedNotUsed,
    List<String> unknownFields,
    KubeletApiConfig kubeletApi,
    Boolean rotateCertificates) {

  /**
   * Every field of the v1beta1 KubeletConfiguration of Kubernetes 1.20 ({@code
   * staging/src/k8s.io/kubelet/config/v1beta1/types.go}).
   */
  static final Set<String> V1BETA1_FIELDS =
      Set.of(
          "apiVersion",
          "kind",
          "enableServer",
          "staticPodPath",
          "syncFrequency",
          "fileCheckFrequency",
          "httpCheckFrequency",
          "staticPodURL",
          "staticPodURLHeader",
          "address",
          "port",
          "readOnlyPort",
          "tlsCertFile",
          "tlsPrivateKeyFile",
          "tlsCipherSuites",
          "tlsMinVersion",
          "rotateCertificates",
          "serverTLSBootstrap",
          "authentication",
          "authorization",
          "registryPullQPS",
          "registryBurst",
          "eventRecordQPS",
          "eventBurst",
          "enableDebuggingHandlers",
          "enableContentionProfiling",
          "healthzPort",
          "healthzBindAddress",
          "oomScoreAdj",
          "clusterDomain",
          "clusterDNS",
          "streamingConnectionIdleTimeout",
          "nodeStatusUpdateFrequency",
          "nodeStatusReportFrequency",
          "nodeLeaseDurationSeconds",
          "imageMinimumGCAge",
          "imageGCHighThresholdPercent",
          "imageGCLowThresholdPercent",
          "volumeStatsAggPeriod",
          "kubeletCgroups",
          "systemCgroups",
          "cgroupRoot",
          "cgroupsPerQOS",
          "cgroupDriver",
          "cpuManagerPolicy",
          "cpuManagerReconcilePeriod",
          "topologyManagerPolicy",
          "topologyManagerScope",
          "qosReserved",
          "runtimeRequestTimeout",
          "hairpinMode",
          "maxPods",
          "podCIDR",
          "podPidsLimit",
          "resolvConf",
          "runOnce",
          "cpuCFSQuota",
          "cpuCFSQuotaPeriod",
          "nodeStatusMaxImages",
          "maxOpenFiles",
          "contentType",
          "kubeAPIQPS",
          "kubeAPIBurst",
          "serializeImagePulls",
          "evictionHard",
          "evictionSoft",
          "evictionSoftGracePeriod",
          "evictionPressureTransitionPeriod",
          "evictionMaxPodGracePeriod",
          "evictionMinimumReclaim",
          "podsPerCore",
          "enableControllerAttachDetach",
          "protectKernelDefaults",
          "makeIPTablesUtilChains",
          "iptablesMasqueradeBit",
          "iptablesDropBit",
          "featureGates",
          "failSwapOn",
          "containerLogMaxSize",
          "containerLogMaxFiles",
          "configMapAndSecretChangeDetectionStrategy",
          "systemReserved",
          "kubeReserved",
          "reservedSystemCPUs",
          "showHiddenMetricsForVersion",
          "systemReservedCgroup",
          "kubeReservedCgroup",
          "enforceNodeAllocatable",
          "allowedUnsafeSysctls",
          "volumePluginDir",
          "providerID",
          "kernelMemcgNotification",
          "logging",
          "enableSystemLogHandler",
          "shutdownGracePeriod",
          "shutdownGracePeriodCriticalPods");

  /** The fields staticlet acts on (read here or from {@link #raw()} by the part that uses them). */
  static final Set<String> USED =
      Set.of(
          "apiVersion",
          "kind",
          "staticPodPath",
          "fileCheckFrequency",
          "syncFrequency",
          "healthzPort",
          "healthzBindAddress",
          "readOnlyPort",
          "address",
          "oomScoreAdj",
          "maxPods",
          "nodeStatusUpdateFrequency",
          "nodeStatusReportFrequency",
          "nodeLeaseDurationSeconds",
          // the kubelet API's (KubeletApiFileSection)
          "port",
          "tlsCertFile",
          "tlsPrivateKeyFile",
          "authentication",
          "authorization",
          "enableDebuggingHandlers",
          "rotateCertificates");

  public static KubeletConfigFile read(Path file) {
    JsonNode root;
    try {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("--config " + file + ": file does not exist");
      }
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (JsonProcessingException e) {
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
      throw new ConfigException(
          "--config " + file + ": kind: expected KubeletConfiguration, got " + kind);
    }
    if (apiVersion == null || !apiVersion.startsWith("kubelet.config.k8s.io/")) {
      throw new ConfigException(
          "--config "
              + file
              + ": apiVersion: expected kubelet.config.k8s.io/v1beta1, got "
              + apiVersion);
    }
    List<String> notUsed = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!V1BETA1_FIELDS.contains(field)) {
        unknown.add(field);
      } else if (!USED.contains(field)) {
        notUsed.add(field);
      }
    }
    Path dir = file.toAbsolutePath().getParent();
    String podPath = text(root, "staticPodPath");
    return new KubeletConfigFile(
        file,
        root,
        podPath == null || podPath.isEmpty() ? null : dir.resolve(podPath).normalize(),
        duration(file, root, "fileCheckFrequency"),
        duration(file, root, "syncFrequency"),
        port(file, root, "healthzPort"),
        text(root, "healthzBindAddress"),
        port(file, root, "readOnlyPort"),
        text(root, "address"),
        integer(file, root, "oomScoreAdj", -1000, 1000),
        positiveOrDefault(integer(file, root, "maxPods", 0, Integer.MAX_VALUE)),
        duration(file, root, "nodeStatusUpdateFrequency"),
        duration(file, root, "nodeStatusReportFrequency"),
        positiveOrDefault(integer(file, root, "nodeLeaseDurationSeconds", 0, Integer.MAX_VALUE)),
        List.copyOf(notUsed),
        List.copyOf(unknown),
        KubeletApiFileSection.read(file, root),
        bool(file, root, "rotateCertificates"));
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    return n == null || n.isNull() ? null : n.asText();
  }

  /** A Go duration; zero (the v1beta1 "unset") reads as absent. Negative is an error. */
  private static Duration duration(Path file, JsonNode root, String field) {
    String value = text(root, field);
    if (value == null) {
      return null;
    }
    Duration d;
    try {
      d = GoDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--config " + file + ": " + field + ": " + e.getMessage());
    }
    if (d.isNegative()) {
      throw new ConfigException(
          "--config " + file + ": " + field + ": must not be negative, got " + value);
    }
    return d.isZero() ? null : d;
  }

  private static Integer positiveOrDefault(Integer value) {
    return value == null || value == 0 ? null : value;
  }

  private static Boolean bool(Path file, JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isBoolean()) {
      throw new ConfigException(
          "--config " + file + ": " + field + ": expected true or false, got " + n);
    }
    return n.asBoolean();
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
      String what =
          min == 0 && max == 65535
              ? "a port number 0-65535"
              : max == Integer.MAX_VALUE
                  ? "an integer >= " + min
                  : "an integer " + min + " to " + max;
      throw new ConfigException(
          "--config " + file + ": " + field + ": expected " + what + ", got " + n);
    }
    return n.asInt();
  }
}
