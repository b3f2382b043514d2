package io.staticlet.core.manifest;

/**
 * Receives every complete listing of the manifest path. Must only record and enqueue: no blocking
 * work.
 */
@FunctionalInterface
public interface ManifestListener {
  void onSnapshot(ManifestSnapshot snapshot);
}
