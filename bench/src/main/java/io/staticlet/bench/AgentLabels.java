package io.staticlet.bench;

import java.util.Map;
import java.util.function.Predicate;

/**
 * The labels the agent puts on its containers (kubelet's plus {@code io.staticlet.*}): all the
 * bench knows about how the agent names things on the engine.
 */
final class AgentLabels {
  static final String MANAGED = "io.staticlet.managed";
  static final String NODE = "io.staticlet.node";
  static final String ROLE = "io.staticlet.container.role";
  static final String POD_NAME = "io.kubernetes.pod.name";
  static final String ROLE_APP = "app";
  static final String ROLE_SANDBOX = "sandbox";

  private AgentLabels() {}

  /** The static pod's name as the agent and the API see it: the manifest's name plus the node. */
  static String podName(String manifestName, String node) {
    return manifestName + "-" + node;
  }

  static Predicate<Map<String, String>> appOf(String node, String podName) {
    return labels ->
        node.equals(labels.get(NODE))
            && podName.equals(labels.get(POD_NAME))
            && ROLE_APP.equals(labels.get(ROLE));
  }
}
