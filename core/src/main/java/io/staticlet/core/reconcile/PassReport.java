package io.staticlet.core.reconcile;

import io.staticlet.core.status.ContainerWaiting;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What executing a plan came to (the kubelet's {@code PodSyncResult}): whether the engine's state
 * changed (then the status is computed from a fresh list), why containers wait, and when to look
 * again if something is held. A value, handed from {@link PlanExecutor} to {@link Reconciler} on
 * the same worker thread.
 *
 * @param changed a sandbox or container was created, started or killed
 * @param waiting why containers (by name) do not run although they should
 * @param retry the earliest hold, empty when nothing is held
 */
record PassReport(boolean changed, Map<String, ContainerWaiting> waiting, Optional<Retry> retry) {
  /** Look again after {@code in}, because of {@code reason} ({@code CrashLoopBackOff}, ...). */
  record Retry(Duration in, String reason) {
    Retry {
      Objects.requireNonNull(in, "in");
      Objects.requireNonNull(reason, "reason");
    }
  }

  PassReport {
    waiting = Map.copyOf(waiting);
    Objects.requireNonNull(retry, "retry");
  }
}
