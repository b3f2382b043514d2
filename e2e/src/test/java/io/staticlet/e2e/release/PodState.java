package io.staticlet.e2e.release;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.List;

/**
 * What must not change when the agent is replaced: a pod's UID and, per container, its instance.
 */
record PodState(String name, String uid, List<Container> containers) {
  /**
   * One container as {@code /pods} reports it: the engine's ID, when it started, how often it
   * restarted.
   */
  record Container(String name, String id, String startedAt, int restartCount) {}

  /** The pod when it is Running with every container running; otherwise null. */
  static PodState ofRunning(Pod pod) {
    if (pod.getStatus() == null
        || !"Running".equals(pod.getStatus().getPhase())
        || pod.getStatus().getContainerStatuses() == null
        || pod.getStatus().getContainerStatuses().size() != pod.getSpec().getContainers().size()) {
      return null;
    }
    List<Container> containers =
        pod.getStatus().getContainerStatuses().stream()
            .sorted(Comparator.comparing(ContainerStatus::getName))
            .map(
                c ->
                    c.getState() == null
                            || c.getState().getRunning() == null
                            || c.getContainerID() == null
                        ? null
                        : new Container(
                            c.getName(),
                            c.getContainerID(),
                            c.getState().getRunning().getStartedAt(),
                            c.getRestartCount()))
            .toList();
    if (containers.contains(null)) {
      return null;
    }
    return new PodState(pod.getMetadata().getName(), pod.getMetadata().getUid(), containers);
  }
}
