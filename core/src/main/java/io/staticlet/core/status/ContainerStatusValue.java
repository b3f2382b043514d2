package io.staticlet.core.status;

import java.util.Objects;
import java.util.Optional;

/**
 * One container's status. Immutable.
 *
 * @param image the image of the spec
 * @param imageId the runtime's image ID with its scheme ({@code docker://sha256:...}), or empty
 * @param containerId the runtime's ID of the latest instance with its scheme, or empty if none
 *     exists
 * @param lastState how the previous instance ended, if one did
 * @param restartCount the latest instance's attempt number
 */
public record ContainerStatusValue(
    String name,
    String image,
    String imageId,
    String containerId,
    ContainerStateValue state,
    Optional<ContainerStateValue.Terminated> lastState,
    boolean ready,
    boolean started,
    int restartCount) {
  public ContainerStatusValue {
    Objects.requireNonNull(name, "name");
    image = Objects.requireNonNullElse(image, "");
    imageId = Objects.requireNonNullElse(imageId, "");
    containerId = Objects.requireNonNullElse(containerId, "");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lastState, "lastState");
  }

  /** The state is {@link ContainerStateValue.Running}. */
  public boolean running() {
    return state instanceof ContainerStateValue.Running;
  }

  /** The state is terminated with exit code 0. */
  public boolean succeeded() {
    return state instanceof ContainerStateValue.Terminated t && t.exitCode() == 0;
  }
}
