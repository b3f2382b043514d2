package io.staticlet.core.mirror;

import io.staticlet.core.pod.PodKey;

/**
 * What the publisher tells {@link MirrorSync}. Implementations only enqueue; called on the
 * adapter's threads.
 */
public interface MirrorListener {
  /** A mirror pod of this node was added, changed or deleted on the server. */
  void mirrorChanged(PodKey key);

  /**
   * Every mirror should be looked at again now, without waiting for back-off: the Node was
   * (re-)registered or the API server answers again after an outage.
   */
  void resyncAll(String reason);
}
