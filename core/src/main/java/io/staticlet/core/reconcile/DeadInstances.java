package io.staticlet.core.reconcile;

import io.staticlet.core.runtime.RuntimeContainer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which dead instances of one pod incarnation to remove (the kubelet's container GC, per pod): of
 * each init or app container the newest dead instance stays, for its logs, {@code lastState} and
 * restart count; the older dead ones go. A sandbox goes once it is not running, not the current one
 * and no remaining container joined it. Pure; any thread.
 */
final class DeadInstances {
  /** What to remove (containers first, then sandboxes) and what stays, in the order observed. */
  record Verdict(List<RuntimeContainer> remove, List<RuntimeContainer> keep) {
    Verdict {
      remove = List.copyOf(remove);
      keep = List.copyOf(keep);
    }

    List<String> removeIds() {
      return remove.stream().map(RuntimeContainer::id).toList();
    }
  }

  private DeadInstances() {}

  /**
   * @param instances the incarnation's instances as observed
   * @param currentSandboxId the sandbox the pod runs in (kept even when dead); empty when the pass
   *     creates a new one
   * @param stopping IDs the same pass stops before collecting: they count as dead
   */
  static Verdict collect(
      List<RuntimeContainer> instances, String currentSandboxId, Set<String> stopping) {
    Map<String, List<RuntimeContainer>> byContainer = new LinkedHashMap<>();
    for (RuntimeContainer c : instances) {
      if (!c.isSandbox()) {
        byContainer.computeIfAbsent(c.role() + "/" + c.name(), k -> new ArrayList<>()).add(c);
      }
    }
    Set<String> removed = new HashSet<>();
    for (List<RuntimeContainer> sameContainer : byContainer.values()) {
      sameContainer.stream()
          .filter(c -> c.hasTerminated() || stopping.contains(c.id()))
          .sorted(Comparator.comparingInt(RuntimeContainer::attempt).reversed())
          .skip(1)
          .forEach(c -> removed.add(c.id()));
    }
    Set<String> joined = new HashSet<>();
    for (RuntimeContainer c : instances) {
      if (!c.isSandbox() && !removed.contains(c.id())) {
        joined.add(c.sandboxId());
      }
    }
    for (RuntimeContainer c : instances) {
      if (c.isSandbox()
          && !c.isRunning()
          && !c.id().equals(currentSandboxId)
          && !joined.contains(c.id())) {
        removed.add(c.id());
      }
    }
    List<RuntimeContainer> remove = new ArrayList<>();
    List<RuntimeContainer> keep = new ArrayList<>();
    for (RuntimeContainer c : instances) {
      (removed.contains(c.id()) ? remove : keep).add(c);
    }
    // containers before the sandboxes they joined
    remove.sort(Comparator.comparing(RuntimeContainer::isSandbox));
    return new Verdict(remove, keep);
  }
}
