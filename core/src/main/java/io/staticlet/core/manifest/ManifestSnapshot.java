package io.staticlet.core.manifest;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.util.List;
import java.util.Map;

/**
 * Everything the manifest path defines after one full listing: the pods to run (including the last
 * good version of pods whose file is now invalid) and the errors found. Always a complete picture,
 * never a delta (DECISIONS.md 6).
 */
public record ManifestSnapshot(Map<PodKey, StaticPod> pods, List<ManifestError> errors) {
  public ManifestSnapshot {
    pods = Map.copyOf(pods);
    errors = List.copyOf(errors);
  }

  public static ManifestSnapshot empty() {
    return new ManifestSnapshot(Map.of(), List.of());
  }
}
