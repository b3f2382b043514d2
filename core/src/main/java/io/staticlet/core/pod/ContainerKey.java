package io.staticlet.core.pod;

import java.util.Objects;

/** One container of one incarnation (UID) of a static pod: the key of restart back-off. */
public record ContainerKey(PodKey pod, String podUid, String container) {
  public ContainerKey {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(container, "container");
  }

  @Override
  public String toString() {
    return pod + "/" + container;
  }
}
