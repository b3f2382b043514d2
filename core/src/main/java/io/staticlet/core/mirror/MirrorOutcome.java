package io.staticlet.core.mirror;

/** What one mirror pass concluded; {@link MirrorSync} turns it into queue operations. */
sealed interface MirrorOutcome permits MirrorOutcome.Converged, MirrorOutcome.WaitingForNode, MirrorOutcome.Retry {
  /** The mirror matches (or correctly does not exist). */
  record Converged() implements MirrorOutcome {}

  /** A mirror is needed but the Node object does not exist (yet); a node event will resync. */
  record WaitingForNode() implements MirrorOutcome {}

  /** A race with another writer or a lagging cache; try again after a short back-off. */
  record Retry(String reason) implements MirrorOutcome {}

  MirrorOutcome CONVERGED = new Converged();
  MirrorOutcome WAITING_FOR_NODE = new WaitingForNode();
}
