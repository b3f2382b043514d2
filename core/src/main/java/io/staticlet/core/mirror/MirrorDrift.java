package io.staticlet.core.mirror;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.PodStatusValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Pure comparisons between what runs (the static pod and its status) and what a mirror shows. */
final class MirrorDrift {
  private MirrorDrift() {}

  /**
   * Why {@code mirror} must be replaced by a fresh one, or empty when it may stay. The kubelet only
   * checks the deletion timestamp and the hash; we also re-publish a mirror whose images were
   * edited (DECISIONS.md 15) so it always shows what really runs, and one owned by a Node object
   * that no longer exists (it would be garbage-collected anyway).
   */
  static Optional<String> staleReason(StaticPod pod, MirrorPod mirror, Optional<String> nodeUid) {
    if (mirror.terminating()) {
      return Optional.of("mirror is being deleted");
    }
    if (!mirror.configMirror().equals(pod.configHash())) {
      return Optional.of(
          "mirror shows config " + mirror.configMirror() + ", running " + pod.configHash());
    }
    Map<String, String> running = images(pod);
    if (!new TreeMap<>(mirror.images()).equals(new TreeMap<>(running))) {
      return Optional.of(
          "mirror shows images "
              + new TreeMap<>(mirror.images())
              + ", running "
              + new TreeMap<>(running));
    }
    if (nodeUid.isPresent()
        && !mirror.ownerNodeUid().isEmpty()
        && !mirror.ownerNodeUid().equals(nodeUid.get())) {
      return Optional.of("mirror is owned by an earlier Node object " + mirror.ownerNodeUid());
    }
    return Optional.empty();
  }

  /** Container name to image, init containers included. */
  static Map<String, String> images(StaticPod pod) {
    Map<String, String> images = new LinkedHashMap<>();
    PodSpec spec = pod.pod().getSpec();
    add(images, spec.getInitContainers());
    add(images, spec.getContainers());
    return images;
  }

  private static void add(Map<String, String> images, List<Container> containers) {
    if (containers != null) {
      for (Container c : containers) {
        images.put(c.getName(), c.getImage() == null ? "" : c.getImage());
      }
    }
  }

  /**
   * True when the server's copy of the status disagrees with ours in something a user sees ({@link
   * MirrorStatusSummary}). Timestamps and fields the server may normalise are not compared, so this
   * never flaps; it catches writes by others, such as the node lifecycle controller marking pods
   * not ready during an outage.
   */
  static boolean statusDiffers(MirrorStatusSummary server, PodStatusValue desired) {
    return !server.equals(MirrorStatusSummary.of(desired));
  }
}
