package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeDaemonEndpointsBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfoBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.staticlet.core.status.KubeTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The Node object this agent registers and the status it reports (kubelet {@code initialNode} and
 * {@code defaultNodeStatusFuncs}, docs/kubelet.md §5). Pure apart from asking the container runtime
 * for its version; time from the injected clock.
 */
final class NodeFactory {
  /**
   * The Kubernetes version staticlet behaves like, plus ours as semver build metadata (k3s style).
   */
  static final String KUBELET_VERSION = "v1.20.2+staticlet-" + staticletVersion();

  /** The kubelet's default hard eviction threshold, subtracted from allocatable memory. */
  static final long EVICTION_MEMORY_BYTES = 100L * 1024 * 1024;

  private final ClusterSettings settings;
  private final HostInfo host;
  private final Supplier<String> runtimeVersion;
  private final Clock clock;
  private volatile String lastRuntimeVersion = "";

  NodeFactory(
      ClusterSettings settings, HostInfo host, Supplier<String> runtimeVersion, Clock clock) {
    this.settings = settings;
    this.host = host;
    this.runtimeVersion = runtimeVersion;
    this.clock = clock;
  }

  Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", settings.nodeName());
    labels.put("kubernetes.io/os", host.operatingSystem());
    labels.put("kubernetes.io/arch", host.architecture());
    labels.put("beta.kubernetes.io/os", host.operatingSystem());
    labels.put("beta.kubernetes.io/arch", host.architecture());
    return labels;
  }

  Map<String, String> annotations() {
    return Map.of("volumes.kubernetes.io/controller-managed-attach-detach", "true");
  }

  /**
   * What {@code POST /api/v1/nodes} sends: our labels with the {@code --node-labels} (ours win, as
   * in the kubelet's {@code initialNode}) and the {@code --register-with-taints}.
   */
  Node initialNode() {
    Map<String, String> labels = new LinkedHashMap<>(settings.registration().onCreate().labels());
    labels.putAll(labels());
    List<Taint> taints = new ArrayList<>();
    for (NodeRegistration.Taint t : settings.registration().onCreate().taints()) {
      taints.add(
          new TaintBuilder()
              .withKey(t.key())
              .withValue(t.value().isEmpty() ? null : t.value())
              .withEffect(t.effect())
              .build());
    }
    return new NodeBuilder()
        .withNewMetadata()
        .withName(settings.nodeName())
        .withLabels(labels)
        .withAnnotations(annotations())
        .endMetadata()
        .withNewSpec()
        .withTaints(taints.isEmpty() ? null : taints)
        .endSpec()
        .withStatus(status(null))
        .build();
  }

  /**
   * The current status. Conditions keep their {@code lastTransitionTime} from {@code previous}
   * while their status is unchanged; {@code lastHeartbeatTime} is now.
   */
  NodeStatus status(NodeStatus previous) {
    String now = KubeTime.format(clock.instant());
    String runtimeProblem = "";
    try {
      String version = runtimeVersion.get();
      if (version == null || version.isBlank()) {
        runtimeProblem = "container runtime did not report a version";
      } else {
        lastRuntimeVersion = version;
      }
    } catch (RuntimeException e) {
      runtimeProblem = "container runtime is down: " + e.getMessage();
    }
    List<NodeCondition> conditions = new ArrayList<>();
    conditions.add(
        condition(
            previous,
            "MemoryPressure",
            "False",
            "KubeletHasSufficientMemory",
            "staticlet has sufficient memory available",
            now));
    conditions.add(
        condition(
            previous,
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "staticlet has no disk pressure",
            now));
    conditions.add(
        condition(
            previous,
            "PIDPressure",
            "False",
            "KubeletHasSufficientPID",
            "staticlet has sufficient PID available",
            now));
    conditions.add(
        runtimeProblem.isEmpty()
            ? condition(
                previous, "Ready", "True", "KubeletReady", "staticlet is posting ready status", now)
            : condition(previous, "Ready", "False", "KubeletNotReady", runtimeProblem, now));

    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(String.valueOf(host.cpus())));
    capacity.put("memory", new Quantity(host.memoryBytes() / 1024 + "Ki"));
    capacity.put(
        "pods", new Quantity(String.valueOf(settings.registration().onCreate().maxPods())));
    Map<String, Quantity> allocatable = new LinkedHashMap<>(capacity);
    allocatable.put(
        "memory",
        new Quantity(Math.max(0, host.memoryBytes() - EVICTION_MEMORY_BYTES) / 1024 + "Ki"));

    return new NodeStatusBuilder()
        .withAddresses(
            new NodeAddressBuilder()
                .withType("InternalIP")
                .withAddress(settings.node().ip())
                .build(),
            new NodeAddressBuilder().withType("Hostname").withAddress(settings.nodeName()).build())
        .withCapacity(capacity)
        .withAllocatable(allocatable)
        .withConditions(conditions)
        .withDaemonEndpoints(
            new NodeDaemonEndpointsBuilder()
                .withNewKubeletEndpoint()
                .withPort(settings.node().kubeletPort())
                .endKubeletEndpoint()
                .build())
        .withNodeInfo(
            new NodeSystemInfoBuilder()
                .withMachineID(host.machineId())
                .withSystemUUID(host.systemUuid())
                .withBootID(host.bootId())
                .withKernelVersion(host.kernelVersion())
                .withOsImage(host.osImage())
                .withContainerRuntimeVersion(
                    lastRuntimeVersion.isEmpty()
                        ? "docker://unknown"
                        : "docker://" + lastRuntimeVersion)
                .withKubeletVersion(KUBELET_VERSION)
                .withKubeProxyVersion(KUBELET_VERSION)
                .withOperatingSystem(host.operatingSystem())
                .withArchitecture(host.architecture())
                .build())
        .build();
  }

  /** Equal apart from the conditions' heartbeat times: a heartbeat alone is not worth a write. */
  static boolean sameIgnoringHeartbeats(NodeStatus a, NodeStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return withoutHeartbeats(a).equals(withoutHeartbeats(b));
  }

  private static NodeStatus withoutHeartbeats(NodeStatus status) {
    NodeStatus copy = new NodeStatusBuilder(status).build();
    List<NodeCondition> conditions = new ArrayList<>();
    for (NodeCondition c :
        Objects.requireNonNullElse(copy.getConditions(), List.<NodeCondition>of())) {
      conditions.add(new NodeConditionBuilder(c).withLastHeartbeatTime(null).build());
    }
    copy.setConditions(conditions);
    return copy;
  }

  private static NodeCondition condition(
      NodeStatus previous, String type, String status, String reason, String message, String now) {
    String transition = now;
    if (previous != null && previous.getConditions() != null) {
      for (NodeCondition c : previous.getConditions()) {
        if (type.equals(c.getType())
            && status.equals(c.getStatus())
            && c.getLastTransitionTime() != null) {
          transition = c.getLastTransitionTime();
        }
      }
    }
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(transition)
        .build();
  }

  private static String staticletVersion() {
    String version = NodeFactory.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? "0.1.0" : version.replace("-SNAPSHOT", "");
  }
}
