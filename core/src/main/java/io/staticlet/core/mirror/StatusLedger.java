package io.staticlet.core.mirror;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.status.PodStatusValue;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What status was last written to which mirror (by mirror UID, like the kubelet's status manager: a
 * re-created mirror gets its status written again). Thread-safe.
 */
final class StatusLedger {
  private record Entry(
      String mirrorUid, PodStatusValue status, String resourceVersionBeforeWrite) {}

  private final Map<PodKey, Entry> entries = new ConcurrentHashMap<>();

  /**
   * True when {@code desired} was not yet written to this mirror, or the server's copy (as the
   * cache shows it) was changed by someone else since. Before this process wrote anything for the
   * key, true only when the mirror shows another status than {@code desired} (as {@link
   * MirrorDrift} compares). While the cache still shows the version from before our write, it is
   * not compared (it lags, it has not been overwritten).
   */
  boolean needsWrite(PodKey key, MirrorPod mirror, PodStatusValue desired) {
    Entry entry = entries.get(key);
    if (entry == null) {
      // nothing written by this process yet (it just started, over adopted pods): a mirror that an
      // earlier run left showing this very status is not patched again (the kubelet skips an empty
      // patch)
      return mirror.status() == null || MirrorDrift.statusDiffers(mirror.status(), desired);
    }
    if (!entry.mirrorUid().equals(mirror.uid()) || !entry.status().equals(desired)) {
      return true;
    }
    if (mirror.resourceVersion().equals(entry.resourceVersionBeforeWrite())) {
      return false;
    }
    return MirrorDrift.statusDiffers(mirror.status(), desired);
  }

  void written(PodKey key, MirrorPod mirror, PodStatusValue status) {
    entries.put(key, new Entry(mirror.uid(), status, mirror.resourceVersion()));
  }

  void forget(PodKey key) {
    entries.remove(key);
  }
}
