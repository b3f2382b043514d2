package io.staticlet.app.config;

import io.staticlet.mirror.NodeRegistration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses {@code --node-labels} and {@code --register-with-taints} as the kubelet 1.20 does,
 * including its refusal of {@code kubernetes.io} / {@code k8s.io} labels a node may not set on
 * itself (NodeRestriction would refuse the registration; kubeadm sets {@code node-role.*} later).
 */
final class NodeRegistrationFlags {
  /** {@code pkg/kubelet/apis/well_known_labels.go}. */
  private static final Set<String> KUBELET_LABELS =
      Set.of(
          "kubernetes.io/hostname",
          "topology.kubernetes.io/zone",
          "topology.kubernetes.io/region",
          "failure-domain.beta.kubernetes.io/zone",
          "failure-domain.beta.kubernetes.io/region",
          "beta.kubernetes.io/instance-type",
          "node.kubernetes.io/instance-type",
          "kubernetes.io/os",
          "kubernetes.io/arch",
          "beta.kubernetes.io/os",
          "beta.kubernetes.io/arch");

  private static final List<String> KUBELET_LABEL_NAMESPACES =
      List.of("kubelet.kubernetes.io", "node.kubernetes.io");

  private NodeRegistrationFlags() {}

  /** {@code key=value,key2=value2}; repeated flags add up, a later key wins. */
  static Map<String, String> labels(List<String> flags) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String flag : flags) {
      for (String pair : flag.split(",")) {
        if (pair.isBlank()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new ConfigException("--node-labels: \"" + pair + "\" is not key=value");
        }
        labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    Set<String> refused = new TreeSet<>();
    for (String key : labels.keySet()) {
      if (isRestrictedNamespace(key) && !isKubeletLabel(key)) {
        refused.add(key);
      }
    }
    if (!refused.isEmpty()) {
      throw new ConfigException(
          "--node-labels: unknown 'kubernetes.io' or 'k8s.io' labels "
              + refused
              + ": labels in those namespaces must begin with an allowed prefix "
              + KUBELET_LABEL_NAMESPACES
              + " or be one of "
              + new TreeSet<>(KUBELET_LABELS));
    }
    return labels;
  }

  /** {@code key[=value]:effect,...} (the kubelet's {@code utiltaints.NewTaintsVar}). */
  static List<NodeRegistration.Taint> taints(List<String> flags) {
    List<NodeRegistration.Taint> taints = new ArrayList<>();
    for (String flag : flags) {
      for (String spec : flag.split(",")) {
        if (spec.isBlank()) {
          continue;
        }
        int colon = spec.lastIndexOf(':');
        if (colon <= 0) {
          throw new ConfigException(
              "--register-with-taints: \"" + spec + "\" is not key[=value]:effect");
        }
        String keyValue = spec.substring(0, colon);
        String effect = spec.substring(colon + 1);
        if (!NodeRegistration.Taint.EFFECTS.contains(effect)) {
          throw new ConfigException(
              "--register-with-taints: \""
                  + spec
                  + "\": effect must be one of "
                  + new TreeSet<>(NodeRegistration.Taint.EFFECTS));
        }
        int eq = keyValue.indexOf('=');
        taints.add(
            new NodeRegistration.Taint(
                eq < 0 ? keyValue : keyValue.substring(0, eq),
                eq < 0 ? "" : keyValue.substring(eq + 1),
                effect));
      }
    }
    return taints;
  }

  private static boolean isRestrictedNamespace(String key) {
    int slash = key.indexOf('/');
    String ns = slash < 0 ? "" : key.substring(0, slash);
    return ns.equals("kubernetes.io")
        || ns.endsWith(".kubernetes.io")
        || ns.equals("k8s.io")
        || ns.endsWith(".k8s.io");
  }

  private static boolean isKubeletLabel(String key) {
    if (KUBELET_LABELS.contains(key)) {
      return true;
    }
    int slash = key.indexOf('/');
    String ns = slash < 0 ? "" : key.substring(0, slash);
    return KUBELET_LABEL_NAMESPACES.stream()
        .anyMatch(allowed -> ns.equals(allowed) || ns.endsWith("." + allowed));
  }
}
