package io.staticlet.core.events;

import io.staticlet.core.pod.PodKey;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a static pod, for {@code kubectl describe pod} and {@code kubectl get
 * events}.
 *
 * @param pod the pod (its mirror is the Event's involved object)
 * @param podUid the static pod's UID (the incarnation the event is about)
 * @param fieldPath {@code spec.containers{app}} / {@code spec.initContainers{init}} for a
 *     container, empty for the pod itself
 * @param reason CamelCase, as the kubelet's ({@code Started}, {@code BackOff})
 */
public record PodEvent(
    PodKey pod,
    String podUid,
    String fieldPath,
    EventType type,
    String reason,
    String message,
    Instant at) {
  public PodEvent {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
    podUid = podUid == null ? "" : podUid;
    fieldPath = fieldPath == null ? "" : fieldPath;
    message = message == null ? "" : message;
  }

  /** The kubelet's field path of an app container. */
  public static String container(String name) {
    return "spec.containers{" + name + "}";
  }

  /** The kubelet's field path of an init container. */
  public static String initContainer(String name) {
    return "spec.initContainers{" + name + "}";
  }
}
