package io.staticlet.mirror;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the agent puts on the Node when it creates it, beyond its own labels (kubelet flags in
 * brackets). Like the kubelet, these are applied at registration only: later edits of the Node by
 * others (kubeadm's {@code node-role.*} labels and taint) are never undone (DECISIONS.md 20).
 *
 * @param labels extra labels [--node-labels]
 * @param taints taints of the new Node [--register-with-taints]
 * @param maxPods the Node's pod capacity [maxPods, --max-pods]
 */
public record NodeRegistration(Map<String, String> labels, List<Taint> taints, int maxPods) {
  /** The kubelet's defaults: no extra labels, no taints, 110 pods. */
  public static final NodeRegistration DEFAULT = new NodeRegistration(Map.of(), List.of(), 110);

  public NodeRegistration {
    labels = Map.copyOf(labels);
    taints = List.copyOf(taints);
    if (maxPods < 1) {
      throw new IllegalArgumentException("maxPods must be positive, got " + maxPods);
    }
  }

  /** A taint as {@code --register-with-taints} gives it: {@code key[=value]:effect}. */
  public record Taint(String key, String value, String effect) {
    public static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    public Taint {
      Objects.requireNonNull(key, "key");
      value = value == null ? "" : value;
      if (!EFFECTS.contains(effect)) {
        throw new IllegalArgumentException(
            "taint effect must be one of " + EFFECTS + ", got " + effect);
      }
    }
  }
}
