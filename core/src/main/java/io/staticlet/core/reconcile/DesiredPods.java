package io.staticlet.core.reconcile;

import io.staticlet.core.manifest.ManifestError;
import io.staticlet.core.manifest.ManifestSnapshot;
import io.staticlet.core.manifest.ManifestWarning;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one owner of "which static pods should run": the latest manifest snapshot. Written by the
 * manifest source's thread ({@link #replace}), read by reconcile workers, probes and HTTP threads;
 * readers always see a complete snapshot. Never blocks (a short lock on write only).
 */
public final class DesiredPods {
  private volatile ManifestSnapshot current = ManifestSnapshot.empty();
  private volatile boolean listedOnce;

  /**
   * Replaces the snapshot and returns the keys whose desired pod changed (added, removed or new
   * UID/content).
   */
  public synchronized Set<PodKey> replace(ManifestSnapshot snapshot) {
    Set<PodKey> changed = new HashSet<>();
    Map<PodKey, StaticPod> before = current.pods();
    for (var entry : snapshot.pods().entrySet()) {
      if (!Objects.equals(before.get(entry.getKey()), entry.getValue())) {
        changed.add(entry.getKey());
      }
    }
    for (PodKey key : before.keySet()) {
      if (!snapshot.pods().containsKey(key)) {
        changed.add(key);
      }
    }
    current = snapshot;
    listedOnce = true;
    return changed;
  }

  public Optional<StaticPod> get(PodKey key) {
    return Optional.ofNullable(current.pods().get(key));
  }

  public Map<PodKey, StaticPod> all() {
    return current.pods();
  }

  /** The errors of the latest listing (invalid files; a pod's last good version keeps running). */
  public List<ManifestError> errors() {
    return current.errors();
  }

  /** The warnings of the latest listing (unknown fields that were dropped, DECISIONS.md 5). */
  public List<ManifestWarning> warnings() {
    return current.warnings();
  }

  /**
   * True once the manifest path has been listed: only then are orphans removed (DECISIONS.md 10).
   */
  public boolean listedOnce() {
    return listedOnce;
  }
}
