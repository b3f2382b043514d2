package io.staticlet.core.mirror;

import io.staticlet.core.status.ContainerStateValue;
import io.staticlet.core.status.ContainerStatusValue;
import io.staticlet.core.status.PodConditionValue;
import io.staticlet.core.status.PodStatusValue;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The part of a pod status a user sees and the drift check compares (phase, IPs, condition
 * statuses, per container its ID, restart count, readiness and kind of state): no timestamps and
 * nothing the server may normalise, so comparing never flaps. The adapter makes one of the status
 * stored on the server, {@link #of} one of ours. Immutable.
 *
 * @param conditions condition type to {@code True} / {@code False}
 * @param initContainers init container name to its summary
 * @param containers app container name to its summary
 */
public record MirrorStatusSummary(
    String phase,
    String hostIp,
    String podIp,
    Map<String, String> conditions,
    Map<String, ContainerSummary> initContainers,
    Map<String, ContainerSummary> containers) {
  /** A mirror without status. */
  public static final MirrorStatusSummary NONE =
      new MirrorStatusSummary("", "", "", Map.of(), Map.of(), Map.of());

  /**
   * One container.
   *
   * @param state {@code running}, {@code terminated:<reason>}, {@code waiting:<reason>} or empty
   */
  public record ContainerSummary(
      String containerId, int restartCount, boolean ready, String state) {
    public ContainerSummary {
      containerId = Objects.requireNonNullElse(containerId, "");
      state = Objects.requireNonNullElse(state, "");
    }
  }

  public MirrorStatusSummary {
    phase = Objects.requireNonNullElse(phase, "");
    hostIp = Objects.requireNonNullElse(hostIp, "");
    podIp = Objects.requireNonNullElse(podIp, "");
    conditions = Map.copyOf(conditions);
    initContainers = Map.copyOf(initContainers);
    containers = Map.copyOf(containers);
  }

  /** The summary of a status we computed, as the server will show it once written. */
  public static MirrorStatusSummary of(PodStatusValue status) {
    Map<String, String> conditions = new TreeMap<>();
    for (PodConditionValue c : status.conditions()) {
      conditions.put(c.type().apiName(), c.status() ? "True" : "False");
    }
    return new MirrorStatusSummary(
        status.phase().apiName(),
        status.hostIp(),
        status.podIp(),
        conditions,
        containers(status.initContainerStatuses()),
        containers(status.containerStatuses()));
  }

  private static Map<String, ContainerSummary> containers(List<ContainerStatusValue> statuses) {
    Map<String, ContainerSummary> out = new TreeMap<>();
    for (ContainerStatusValue c : statuses) {
      out.put(
          c.name(),
          new ContainerSummary(c.containerId(), c.restartCount(), c.ready(), stateKind(c.state())));
    }
    return out;
  }

  private static String stateKind(ContainerStateValue state) {
    if (state instanceof ContainerStateValue.Running) {
      return "running";
    }
    if (state instanceof ContainerStateValue.Terminated t) {
      return "terminated:" + t.reason();
    }
    if (state instanceof ContainerStateValue.Waiting w) {
      return "waiting:" + w.reason();
    }
    return "";
  }
}
