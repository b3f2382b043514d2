package io.staticlet.core.reconcile;

import java.time.Duration;

/**
 * What one reconcile pass concluded; the worker turns it into queue operations. A value, made and
 * read on the reconcile worker thread.
 */
public sealed interface SyncOutcome
    permits SyncOutcome.Converged, SyncOutcome.RetryAfter, SyncOutcome.Waiting, SyncOutcome.Gone {

  /** Desired and actual state agree; look again after {@code resyncAfter}. */
  record Converged(Duration resyncAfter) implements SyncOutcome {}

  /** A transient failure (engine unavailable, ...): retry after {@code delay}. */
  record RetryAfter(Duration delay, String reason) implements SyncOutcome {}

  /**
   * Deliberately waiting (CrashLoopBackOff, ImagePullBackOff, init container running): look again
   * after {@code retryIn}.
   */
  record Waiting(Duration retryIn, String reason) implements SyncOutcome {}

  /** The pod is neither desired nor present any more: nothing to resync. */
  record Gone() implements SyncOutcome {}
}
