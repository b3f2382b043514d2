package io.staticlet.core.events;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.runtime.ContainerRole;
import java.time.Clock;

/**
 * The kubelet's pod events, with its reasons and messages ({@code kubectl describe pod} reads the
 * same as for a kubelet): one method per thing that happens. Never throws.
 */
public final class KubeletEvents {
  private final EventRecorder recorder;
  private final Clock clock;

  public KubeletEvents(EventRecorder recorder, Clock clock) {
    this.recorder = recorder;
    this.clock = clock;
  }

  /** Records nothing. */
  public static KubeletEvents none(Clock clock) {
    return new KubeletEvents(EventRecorder.NONE, clock);
  }

  public void created(PodKey pod, String uid, ContainerRole role, String container) {
    normal(pod, uid, role, container, "Created", "Created container " + container);
  }

  public void started(PodKey pod, String uid, ContainerRole role, String container) {
    normal(pod, uid, role, container, "Started", "Started container " + container);
  }

  /** Could not pull, create or start: the kubelet's {@code Failed} with the reason's message. */
  public void failed(
      PodKey pod, String uid, ContainerRole role, String container, String reason, String error) {
    String message =
        "ErrImagePull".equals(reason) ? "Failed to pull image: " + error : "Error: " + error;
    warning(pod, uid, role, container, "Failed", message);
  }

  public void backOff(PodKey pod, String uid, ContainerRole role, String container) {
    warning(pod, uid, role, container, "BackOff", "Back-off restarting failed container");
  }

  /** A container is being stopped; {@code why} is the kubelet's message for the cause. */
  public void killing(PodKey pod, String uid, ContainerRole role, String container, String why) {
    normal(pod, uid, role, container, "Killing", why);
  }

  public void unhealthy(PodKey pod, String uid, String container, String probe, String output) {
    warning(
        pod, uid, ContainerRole.APP, container, "Unhealthy", probe + " probe failed: " + output);
  }

  public void hookFailed(
      PodKey pod, String uid, ContainerRole role, String container, String hook, String error) {
    warning(
        pod,
        uid,
        role,
        container,
        "Failed" + hook + "Hook",
        hook + " hook for container " + container + " failed: " + error);
  }

  public void sandboxFailed(PodKey pod, String uid, String error) {
    record(
        pod,
        uid,
        "",
        EventType.WARNING,
        "FailedCreatePodSandBox",
        "Failed to create pod sandbox: " + error);
  }

  public void sandboxChanged(PodKey pod, String uid) {
    record(
        pod,
        uid,
        "",
        EventType.NORMAL,
        "SandboxChanged",
        "Pod sandbox changed, it will be killed and re-created.");
  }

  /** A pod-level warning that is not the runtime's (a manifest problem). */
  public void podWarning(PodKey pod, String uid, String reason, String message) {
    record(pod, uid, "", EventType.WARNING, reason, message);
  }

  private void normal(
      PodKey pod, String uid, ContainerRole role, String container, String reason, String message) {
    record(pod, uid, fieldPath(role, container), EventType.NORMAL, reason, message);
  }

  private void warning(
      PodKey pod, String uid, ContainerRole role, String container, String reason, String message) {
    record(pod, uid, fieldPath(role, container), EventType.WARNING, reason, message);
  }

  private static String fieldPath(ContainerRole role, String container) {
    return switch (role) {
      case INIT -> PodEvent.initContainer(container);
      case APP -> PodEvent.container(container);
      case SANDBOX -> "";
    };
  }

  private void record(
      PodKey pod, String uid, String fieldPath, EventType type, String reason, String message) {
    try {
      recorder.record(new PodEvent(pod, uid, fieldPath, type, reason, message, clock.instant()));
    } catch (RuntimeException ignored) {
      // an event is information: losing one must never fail the caller
    }
  }
}
