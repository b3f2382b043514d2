package io.staticlet.core.status;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.List;

/**
 * {@link PodStatusValue} to the API's {@code v1.PodStatus}: the one place the computed status
 * becomes a fabric8 object, used by both edges that show it (the {@code /pods} endpoint and the
 * mirror pod's status patch), so the two never disagree. Empty strings become absent fields, times
 * RFC 3339 in whole seconds. Each call returns a new object the caller may modify.
 */
public final class PodStatusRenderer {
  private PodStatusRenderer() {}

  public static PodStatus render(PodStatusValue status) {
    PodStatusBuilder b =
        new PodStatusBuilder()
            .withPhase(status.phase().apiName())
            .withMessage(emptyToNull(status.message()))
            .withReason(emptyToNull(status.reason()))
            .withConditions(status.conditions().stream().map(PodStatusRenderer::condition).toList())
            .withHostIP(emptyToNull(status.hostIp()))
            .withQosClass(emptyToNull(status.qosClass()))
            .withInitContainerStatuses(containers(status.initContainerStatuses()))
            .withContainerStatuses(containers(status.containerStatuses()));
    if (!status.hostIp().isEmpty()) {
      b.withHostIPs(new HostIP(status.hostIp()));
    }
    if (!status.podIps().isEmpty()) {
      b.withPodIP(status.podIp()).withPodIPs(status.podIps().stream().map(PodIP::new).toList());
    }
    status.startTime().ifPresent(t -> b.withStartTime(KubeTime.format(t)));
    return b.build();
  }

  private static PodCondition condition(PodConditionValue c) {
    return new PodConditionBuilder()
        .withType(c.type().apiName())
        .withStatus(c.status() ? "True" : "False")
        .withReason(emptyToNull(c.reason()))
        .withMessage(emptyToNull(c.message()))
        .withLastTransitionTime(KubeTime.format(c.lastTransitionTime()))
        .build();
  }

  private static List<ContainerStatus> containers(List<ContainerStatusValue> statuses) {
    return statuses.stream().map(PodStatusRenderer::container).toList();
  }

  private static ContainerStatus container(ContainerStatusValue c) {
    ContainerStatusBuilder b =
        new ContainerStatusBuilder()
            .withName(c.name())
            .withImage(emptyToNull(c.image()))
            .withImageID(c.imageId())
            .withContainerID(emptyToNull(c.containerId()))
            .withReady(c.ready())
            .withStarted(c.started())
            .withRestartCount(c.restartCount())
            .withState(state(c.state()));
    c.lastState().ifPresent(last -> b.withLastState(state(last)));
    return b.build();
  }

  private static ContainerState state(ContainerStateValue state) {
    ContainerStateBuilder b = new ContainerStateBuilder();
    if (state instanceof ContainerStateValue.Waiting w) {
      b.withNewWaiting().withReason(w.reason()).withMessage(emptyToNull(w.message())).endWaiting();
    } else if (state instanceof ContainerStateValue.Running r) {
      b.withNewRunning().withStartedAt(KubeTime.format(r.startedAt())).endRunning();
    } else if (state instanceof ContainerStateValue.Terminated t) {
      b.withTerminated(
          new ContainerStateTerminatedBuilder()
              .withExitCode(t.exitCode())
              .withReason(emptyToNull(t.reason()))
              .withMessage(emptyToNull(t.message()))
              .withStartedAt(KubeTime.format(t.startedAt()))
              .withFinishedAt(KubeTime.format(t.finishedAt()))
              .withContainerID(emptyToNull(t.containerId()))
              .build());
    }
    return b.build();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
