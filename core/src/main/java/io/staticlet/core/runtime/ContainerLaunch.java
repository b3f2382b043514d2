package io.staticlet.core.runtime;

import io.staticlet.core.pod.PodKey;
import java.time.Duration;
import java.util.Objects;

/**
 * What the reconciler asks the engine to create for one init or app container: plain values, built
 * by {@code io.staticlet.core.container.ContainerLaunches}. Immutable.
 *
 * @param pod the pod it belongs to
 * @param podUid the pod incarnation's UID
 * @param role {@link ContainerRole#INIT} or {@link ContainerRole#APP}
 * @param attempt restart count of this instance: the {@code _<n>} suffix of its name
 * @param sandboxId the running sandbox this container joins
 * @param gracePeriod the pod's termination grace period, recorded on the container for stops
 *     without the manifest
 * @param namespaces which namespaces are the host's or shared in the pod
 * @param spec the resolved container
 */
public record ContainerLaunch(
    PodKey pod,
    String podUid,
    ContainerRole role,
    int attempt,
    String sandboxId,
    Duration gracePeriod,
    PodNamespaces namespaces,
    ContainerSpec spec) {
  public ContainerLaunch {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(sandboxId, "sandboxId");
    Objects.requireNonNull(gracePeriod, "gracePeriod");
    Objects.requireNonNull(namespaces, "namespaces");
    Objects.requireNonNull(spec, "spec");
    if (role == ContainerRole.SANDBOX) {
      throw new IllegalArgumentException("sandboxes are created with startSandbox");
    }
  }
}
