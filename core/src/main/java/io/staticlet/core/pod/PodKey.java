package io.staticlet.core.pod;

import java.util.Objects;

/**
 * Identity of a static pod on this node (namespace and suffixed name): what the work queues are
 * keyed by.
 */
public record PodKey(String namespace, String name) {
  public PodKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** The form used in every log line: {@code namespace/name}. */
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
