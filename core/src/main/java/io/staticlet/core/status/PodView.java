package io.staticlet.core.status;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.util.Objects;

/**
 * What the reconciler last recorded about one static pod: the pod that runs (the last good version
 * of its manifest) and its computed status. Immutable, so it may be handed to any thread. (Manifest
 * problems are read from {@code DesiredPods}, mirror problems from {@code MirrorSync}: each has its
 * own writer.)
 */
public record PodView(PodKey key, StaticPod pod, PodStatusValue status) {
  public PodView {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(status, "status");
  }
}
