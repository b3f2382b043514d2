package io.staticlet.core.mirror;

/** What one mirror pass concluded; {@link MirrorSync} turns it into queue operations. */
sealed interface MirrorOutcome
    permits MirrorOutcome.Converged, MirrorOutcome.Waiting, MirrorOutcome.Retry {
  /** The mirror matches (or correctly does not exist). */
  record Converged() implements MirrorOutcome {}

  /**
   * Nothing can be done until something outside changes (the Node gets registered, the cache
   * syncs); the publisher asks for a resync then. {@code why} is shown on the pod.
   */
  record Waiting(String why) implements MirrorOutcome {}

  /** A race with another writer or a lagging cache; try again after a short back-off. */
  record Retry(String reason) implements MirrorOutcome {}

  MirrorOutcome CONVERGED = new Converged();
  MirrorOutcome WAITING_FOR_NODE =
      new Waiting("no mirror: the Node object is not registered (yet)");
  MirrorOutcome WAITING_FOR_CACHE =
      new Waiting("no mirror yet: waiting for the first list of pods from the API server");
}
