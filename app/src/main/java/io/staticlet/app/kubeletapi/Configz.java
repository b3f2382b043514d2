package io.staticlet.app.kubeletapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.staticlet.app.config.AgentConfig;
import io.staticlet.app.config.GoDuration;
import io.staticlet.app.config.KubeletApiConfig;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code /configz}: {@code {"kubeletconfig": {...}}}, the full defaulted v1beta1
 * KubeletConfiguration (without kind and apiVersion) as the kubelet serves it. The kubelet 1.20
 * v1beta1 defaults, overlaid with the {@code --config} file's fields, overlaid with what staticlet
 * actually runs with (flags included).
 */
public final class Configz {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Configz() {}

  public static String render(AgentConfig config) {
    ObjectNode kc = defaults();
    if (config.configDocument() != null && config.configDocument().isObject()) {
      merge(kc, config.configDocument());
      kc.remove("kind");
      kc.remove("apiVersion");
    }
    KubeletApiConfig api = config.kubeletApi();
    kc.put("staticPodPath", config.staticPodPath().toString());
    kc.put("syncFrequency", GoDuration.format(config.syncFrequency()));
    kc.put("fileCheckFrequency", GoDuration.format(config.fileCheckFrequency()));
    kc.put("address", config.address());
    kc.put("port", api.port());
    kc.put("readOnlyPort", config.readOnlyPort());
    kc.put("tlsCertFile", path(api.tlsCertFile()));
    kc.put("tlsPrivateKeyFile", path(api.tlsPrivateKeyFile()));
    ObjectNode authn = kc.putObject("authentication");
    authn.putObject("x509").put("clientCAFile", path(api.clientCaFile()));
    authn
        .putObject("webhook")
        .put("enabled", api.webhookEnabled())
        .put("cacheTTL", GoDuration.format(api.webhookCacheTtl()));
    authn.putObject("anonymous").put("enabled", api.anonymousEnabled());
    ObjectNode authz = kc.putObject("authorization");
    authz.put("mode", api.authorizationMode());
    authz
        .putObject("webhook")
        .put("cacheAuthorizedTTL", GoDuration.format(api.authorizedTtl()))
        .put("cacheUnauthorizedTTL", GoDuration.format(api.unauthorizedTtl()));
    kc.put("enableDebuggingHandlers", api.enableDebuggingHandlers());
    kc.put("healthzPort", config.healthzPort());
    kc.put("healthzBindAddress", config.healthzBindAddress());
    kc.put("oomScoreAdj", config.oomScoreAdj());
    ObjectNode root = JSON.createObjectNode();
    root.set("kubeletconfig", kc);
    return root.toString();
  }

  private static String path(Path p) {
    return p == null ? "" : p.toString();
  }

  /** The kubelet 1.20 v1beta1 defaults ({@code pkg/kubelet/apis/config/v1beta1/defaults.go}). */
  static ObjectNode defaults() {
    ObjectNode kc = JSON.createObjectNode();
    kc.put("enableServer", true);
    kc.put("staticPodPath", "");
    kc.put("syncFrequency", "1m0s");
    kc.put("fileCheckFrequency", "20s");
    kc.put("httpCheckFrequency", "20s");
    kc.put("address", "0.0.0.0");
    kc.put("port", 10250);
    kc.put("readOnlyPort", 0);
    kc.put("tlsCertFile", "");
    kc.put("tlsPrivateKeyFile", "");
    kc.put("rotateCertificates", false);
    kc.put("serverTLSBootstrap", false);
    kc.put("registryPullQPS", 5);
    kc.put("registryBurst", 10);
    kc.put("eventRecordQPS", 5);
    kc.put("eventBurst", 10);
    kc.put("enableDebuggingHandlers", true);
    kc.put("healthzPort", 10248);
    kc.put("healthzBindAddress", "127.0.0.1");
    kc.put("oomScoreAdj", -999);
    kc.put("clusterDomain", "");
    kc.put("streamingConnectionIdleTimeout", "4h0m0s");
    kc.put("nodeStatusUpdateFrequency", "10s");
    kc.put("nodeStatusReportFrequency", "5m0s");
    kc.put("nodeLeaseDurationSeconds", 40);
    kc.put("imageMinimumGCAge", "2m0s");
    kc.put("imageGCHighThresholdPercent", 85);
    kc.put("imageGCLowThresholdPercent", 80);
    kc.put("volumeStatsAggPeriod", "1m0s");
    kc.put("cgroupsPerQOS", true);
    kc.put("cgroupDriver", "cgroupfs");
    kc.put("cpuManagerPolicy", "none");
    kc.put("cpuManagerReconcilePeriod", "10s");
    kc.put("topologyManagerPolicy", "none");
    kc.put("topologyManagerScope", "container");
    kc.put("runtimeRequestTimeout", "2m0s");
    kc.put("hairpinMode", "promiscuous-bridge");
    kc.put("maxPods", 110);
    kc.put("podPidsLimit", -1);
    kc.put("resolvConf", "/etc/resolv.conf");
    kc.put("cpuCFSQuota", true);
    kc.put("cpuCFSQuotaPeriod", "100ms");
    kc.put("nodeStatusMaxImages", 50);
    kc.put("maxOpenFiles", 1000000);
    kc.put("contentType", "application/vnd.kubernetes.protobuf");
    kc.put("kubeAPIQPS", 5);
    kc.put("kubeAPIBurst", 10);
    kc.put("serializeImagePulls", true);
    ObjectNode eviction = kc.putObject("evictionHard");
    eviction.put("imagefs.available", "15%");
    eviction.put("memory.available", "100Mi");
    eviction.put("nodefs.available", "10%");
    eviction.put("nodefs.inodesFree", "5%");
    kc.put("evictionPressureTransitionPeriod", "5m0s");
    kc.put("enableControllerAttachDetach", true);
    kc.put("makeIPTablesUtilChains", true);
    kc.put("iptablesMasqueradeBit", 14);
    kc.put("iptablesDropBit", 15);
    kc.put("failSwapOn", true);
    kc.put("containerLogMaxSize", "10Mi");
    kc.put("containerLogMaxFiles", 5);
    kc.put("configMapAndSecretChangeDetectionStrategy", "Watch");
    kc.putArray("enforceNodeAllocatable").add("pods");
    kc.put("volumePluginDir", "/usr/libexec/kubernetes/kubelet-plugins/volume/exec/");
    kc.putObject("logging").put("format", "text");
    kc.put("enableSystemLogHandler", true);
    kc.put("shutdownGracePeriod", "0s");
    kc.put("shutdownGracePeriodCriticalPods", "0s");
    return kc;
  }

  /** Copies {@code from}'s fields into {@code into}, objects field by field. */
  private static void merge(ObjectNode into, JsonNode from) {
    for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode target && e.getValue().isObject()) {
        merge(target, e.getValue());
      } else {
        into.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }
}
