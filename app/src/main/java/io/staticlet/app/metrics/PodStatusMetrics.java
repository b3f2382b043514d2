package io.staticlet.app.metrics;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.status.ContainerStateValue;
import io.staticlet.core.status.ContainerStatusValue;
import io.staticlet.core.status.PodPhase;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodStatusValue;
import io.staticlet.core.status.PodView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Derives latency and restart metrics from status changes: when an incarnation (UID) is first seen
 * running and ready, and how much its containers' restart counts grew.
 */
final class PodStatusMetrics implements Consumer<PodKey> {
  private final PodStatusStore store;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final Set<String> reportedRunning = new HashSet<>(); // guarded by this
  private final Map<String, Integer> restarts =
      new HashMap<>(); // guarded by this; key uid/container
  private final Map<PodKey, String> uidOf =
      new HashMap<>(); // guarded by this: what to forget when the pod goes

  PodStatusMetrics(PodStatusStore store, AgentMetrics metrics, Clock clock) {
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public synchronized void accept(PodKey key) {
    PodView view = store.get(key).orElse(null);
    String uid = view == null ? null : view.pod().uid();
    String previous = uid == null ? uidOf.remove(key) : uidOf.put(key, uid);
    if (previous != null && !previous.equals(uid)) {
      forget(
          previous); // the pod is gone or has a new incarnation: nothing of the old one is needed
    }
    if (view == null) {
      return;
    }
    PodStatusValue status = view.status();
    for (ContainerStatusValue c : status.containerStatuses()) {
      int now = c.restartCount();
      Integer before = restarts.put(uid + "/" + c.name(), now);
      if (before != null && now > before) {
        metrics.countRestarts(key.namespace(), now - before);
      }
    }
    if (!reportedRunning.contains(uid)
        && status.phase() == PodPhase.RUNNING
        && status.containerStatuses().stream().allMatch(ContainerStatusValue::ready)) {
      reportedRunning.add(uid);
      Instant seen = view.pod().seen();
      Instant started =
          status.containerStatuses().stream()
              .map(c -> c.state() instanceof ContainerStateValue.Running r ? r.startedAt() : null)
              .filter(Objects::nonNull)
              .max(Instant::compareTo)
              .orElse(null);
      // adopted containers (started before this agent saw the manifest) are not a start-up latency
      if (started != null && !started.plusSeconds(1).isBefore(seen)) {
        metrics.recordManifestToRunning(Duration.between(seen, clock.instant()));
      }
    }
  }

  private void forget(String uid) {
    reportedRunning.remove(uid);
    restarts.keySet().removeIf(k -> k.startsWith(uid + "/"));
  }

  /** How many incarnations are remembered (tests: must not grow with edits). */
  synchronized int size() {
    return reportedRunning.size() + restarts.size() + uidOf.size();
  }
}
