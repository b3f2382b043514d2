package io.staticlet.core.runtime;

import io.fabric8.kubernetes.api.model.Container;
import java.util.Objects;

/**
 * What the reconciler asks the engine to create for one init or app container.
 *
 * @param spec the defaulted container from the static pod (never modified by the runtime)
 * @param role {@link ContainerRole#INIT} or {@link ContainerRole#APP}
 * @param attempt restart count of this instance: the {@code _<n>} suffix of its name
 * @param sandboxId the running sandbox this container joins
 * @param podIp the sandbox's IP (the host IP for hostNetwork pods), for {@code status.podIP} fieldRefs
 */
public record ContainerLaunch(Container spec, ContainerRole role, int attempt, String sandboxId, String podIp) {
  public ContainerLaunch {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(sandboxId, "sandboxId");
    podIp = podIp == null ? "" : podIp;
    if (role == ContainerRole.SANDBOX) {
      throw new IllegalArgumentException("sandboxes are created with createSandbox");
    }
  }
}
