package io.staticlet.core.reconcile;

import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.ContainerWaiting;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the execution of one plan has done so far, and the sandbox its containers join. Mutable,
 * confined to the worker thread of one pass and dropped at its end; {@link #report()} freezes it.
 */
final class PassTally {
  /** A hold of zero or less is looked at again this soon, not at once in a tight loop. */
  private static final Duration MIN_RETRY = Duration.ofMillis(100);

  private final Map<String, ContainerWaiting> waiting = new HashMap<>();
  private boolean changed;
  private Duration retryIn;
  private String retryReason;
  private RuntimeContainer sandbox;

  PassTally(Optional<RuntimeContainer> sandbox) {
    this.sandbox = sandbox.orElse(null);
  }

  void changed() {
    changed = true;
  }

  void waiting(String container, ContainerWaiting why) {
    waiting.put(container, why);
  }

  void waiting(Map<String, ContainerWaiting> why) {
    waiting.putAll(why);
  }

  /** Look again after {@code delay} at the latest; the earliest hold of a pass wins. */
  void retryAfter(Duration delay, String reason) {
    if (delay.isZero() || delay.isNegative()) {
      delay = MIN_RETRY;
    }
    if (retryIn == null || delay.compareTo(retryIn) < 0) {
      retryIn = delay;
      retryReason = reason;
    }
  }

  /** The sandbox new containers join; throws when the plan created none and found none. */
  RuntimeContainer sandbox() {
    if (sandbox == null) {
      throw new IllegalStateException("a container was planned without a sandbox");
    }
    return sandbox;
  }

  void sandbox(RuntimeContainer created) {
    sandbox = created;
  }

  PassReport report() {
    return new PassReport(
        changed,
        waiting,
        retryIn == null
            ? Optional.empty()
            : Optional.of(new PassReport.Retry(retryIn, retryReason)));
  }
}
