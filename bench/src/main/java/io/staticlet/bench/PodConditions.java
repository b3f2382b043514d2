package io.staticlet.bench;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.function.Predicate;

/** The pod states the benchmarks wait for, read from a pod's status as kubectl would show it. */
final class PodConditions {
  private PodConditions() {}

  /**
   * Phase Running, condition Ready=True, every spec container reported and ready; not being
   * deleted.
   */
  static boolean runningAndReady(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
      return false;
    }
    if (!"Running".equals(pod.getStatus().getPhase())) {
      return false;
    }
    boolean readyCondition =
        pod.getStatus().getConditions() != null
            && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
    return readyCondition
        && statuses != null
        && statuses.size() == pod.getSpec().getContainers().size()
        && statuses.stream().allMatch(s -> Boolean.TRUE.equals(s.getReady()));
  }

  /** Running and ready with the app container being exactly this Docker container. */
  static boolean runningWithContainer(Pod pod, String dockerId) {
    return runningAndReady(pod)
        && pod.getStatus().getContainerStatuses().stream()
            .allMatch(s -> ("docker://" + dockerId).equals(s.getContainerID()));
  }

  /** A pod of that name that is not the one with {@code oldUid} and is not being deleted. */
  static Predicate<Pod> replacing(String oldUid) {
    return pod ->
        !oldUid.equals(pod.getMetadata().getUid())
            && pod.getMetadata().getDeletionTimestamp() == null;
  }
}
