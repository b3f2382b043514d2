package io.staticlet.core.probe;

import io.staticlet.core.pod.ContainerKey;
import java.util.Objects;

/** One running instance of a container: probe results belong to it and die with it. */
record ContainerInstance(ContainerKey key, String containerId) {
  ContainerInstance {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(containerId, "containerId");
  }

  String shortId() {
    return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
  }
}
