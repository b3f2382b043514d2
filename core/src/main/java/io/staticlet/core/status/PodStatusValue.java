package io.staticlet.core.status;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pod's status as the agent computed it (the kubelet's {@code v1.PodStatus}), immutable so it can
 * be handed between the reconcile workers, the status store, the mirror loop and the HTTP server.
 * {@link PodStatusRenderer} turns it into the API object at the edges.
 *
 * @param message why the pod is in this state, or empty
 * @param reason a short machine-readable reason, or empty
 * @param hostIp the node's IP, or empty
 * @param podIps the pod's IPs (the first is {@code podIP}); empty until the sandbox runs
 * @param qosClass {@code BestEffort}, {@code Burstable} or {@code Guaranteed} ({@link QosClass})
 * @param startTime when the kubelet first saw a container of this pod UID (whole seconds)
 */
public record PodStatusValue(
    PodPhase phase,
    String message,
    String reason,
    List<PodConditionValue> conditions,
    String hostIp,
    List<String> podIps,
    String qosClass,
    Optional<Instant> startTime,
    List<ContainerStatusValue> initContainerStatuses,
    List<ContainerStatusValue> containerStatuses) {
  public PodStatusValue {
    Objects.requireNonNull(phase, "phase");
    message = Objects.requireNonNullElse(message, "");
    reason = Objects.requireNonNullElse(reason, "");
    conditions = List.copyOf(conditions);
    hostIp = Objects.requireNonNullElse(hostIp, "");
    podIps = List.copyOf(podIps);
    qosClass = Objects.requireNonNullElse(qosClass, "");
    startTime = startTime.map(KubeTime::truncate);
    initContainerStatuses = List.copyOf(initContainerStatuses);
    containerStatuses = List.copyOf(containerStatuses);
  }

  /** A pod nothing is known of yet but why: Pending with {@code message}, only its QoS class. */
  public static PodStatusValue pending(String message, String qosClass) {
    return new PodStatusValue(
        PodPhase.PENDING,
        message,
        "",
        List.of(),
        "",
        List.of(),
        qosClass,
        Optional.empty(),
        List.of(),
        List.of());
  }

  /** The first pod IP, or empty. */
  public String podIp() {
    return podIps.isEmpty() ? "" : podIps.get(0);
  }

  /** The condition of {@code type}, if reported. */
  public Optional<PodConditionValue> condition(PodConditionType type) {
    return conditions.stream().filter(c -> c.type() == type).findFirst();
  }
}
