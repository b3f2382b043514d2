package io.staticlet.core.manifest;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.util.List;
import java.util.Map;

/**
 * Everything the manifest path defines after one full listing: the pods to run (including the last
 * good version of pods whose file is now invalid), the errors found, and the warnings about pods
 * that run anyway (unknown fields). Always a complete picture, never a delta (DECISIONS.md 6).
 */
public record ManifestSnapshot(
    Map<PodKey, StaticPod> pods, List<ManifestError> errors, List<ManifestWarning> warnings) {
  public ManifestSnapshot {
    pods = Map.copyOf(pods);
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  public ManifestSnapshot(Map<PodKey, StaticPod> pods, List<ManifestError> errors) {
    this(pods, errors, List.of());
  }

  public static ManifestSnapshot empty() {
    return new ManifestSnapshot(Map.of(), List.of());
  }
}
