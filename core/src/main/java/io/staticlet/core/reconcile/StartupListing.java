package io.staticlet.core.reconcile;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.runtime.RuntimeContainer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one engine listing the agent takes at start-up, before its workers run: each pod's first pass
 * reads its containers from here instead of listing them again (a restart that adopts 100 pods: one
 * listing and one inspect per container, not 100 more listings; docs/performance.md, start-up). The
 * kubelet's pod workers read the PLEG's relist cache the same way.
 *
 * <p>Never older than what it replaces: an engine event about a pod, seen at any time since the
 * agent began to watch, makes that pod's first pass list for itself; each entry serves one pass;
 * and the whole listing is dropped {@link #MAX_AGE} after it was recorded. Thread-safe: recorded on
 * the starting thread, taken by the workers, dropped by the engine-event thread.
 */
public final class StartupListing {
  /** After this, a pass that has not run yet lists for itself. */
  static final Duration MAX_AGE = Duration.ofSeconds(10);

  private final Clock clock;
  private final Map<PodKey, List<RuntimeContainer>> byPod = new HashMap<>();
  private final Set<PodKey> changed = new HashSet<>();
  private Instant recordedAt;

  public StartupListing(Clock clock) {
    this.clock = clock;
  }

  /**
   * Records the listing of every managed container, taken after the engine watch began: pods an
   * event was seen for are left out.
   */
  public synchronized void record(List<RuntimeContainer> all) {
    byPod.clear();
    for (RuntimeContainer c : all) {
      if (!changed.contains(c.pod())) {
        byPod.computeIfAbsent(c.pod(), k -> new ArrayList<>()).add(c);
      }
    }
    recordedAt = clock.instant();
  }

  /**
   * The pod's containers as the listing saw them (an empty list: it saw none), once; empty when
   * there is no listing, it expired, the pod changed since, or its entry was already taken.
   */
  public synchronized Optional<List<RuntimeContainer>> take(PodKey pod) {
    if (recordedAt == null || changed.contains(pod)) {
      return Optional.empty();
    }
    if (clock.instant().isAfter(recordedAt.plus(MAX_AGE))) {
      byPod.clear();
      changed.clear();
      return Optional.empty();
    }
    List<RuntimeContainer> containers = byPod.remove(pod);
    changed.add(pod); // served once: the next pass lists for itself
    return Optional.of(containers == null ? List.of() : List.copyOf(containers));
  }

  /** An engine event about one of the pod's containers: its pass lists for itself. */
  public synchronized void changed(PodKey pod) {
    if (recordedAt == null || !clock.instant().isAfter(recordedAt.plus(MAX_AGE))) {
      changed.add(pod);
      byPod.remove(pod);
    }
  }
}
