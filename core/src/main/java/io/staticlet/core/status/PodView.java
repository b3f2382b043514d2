package io.staticlet.core.status;

import io.fabric8.kubernetes.api.model.PodStatus;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.util.Objects;

/**
 * What is known about one static pod right now: the pod that runs (the last good version of its
 * manifest), its computed status, and any problem an operator should see.
 *
 * @param manifestError the pod's manifest is currently invalid (the last good version keeps
 *     running), or empty
 * @param mirrorError the API server refused or failed the mirror pod, or empty
 */
public record PodView(PodKey key, StaticPod pod, PodStatus status, String manifestError, String mirrorError) {
  public PodView {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(status, "status");
    manifestError = manifestError == null ? "" : manifestError;
    mirrorError = mirrorError == null ? "" : mirrorError;
  }

  public PodView withStatus(StaticPod newPod, PodStatus newStatus) {
    return new PodView(key, newPod, newStatus, manifestError, mirrorError);
  }

  public PodView withManifestError(String error) {
    return new PodView(key, pod, status, error, mirrorError);
  }

  public PodView withMirrorError(String error) {
    return new PodView(key, pod, status, manifestError, error);
  }
}
