package io.staticlet.docker;

import io.staticlet.core.pod.PodKey;
import java.util.Optional;

/**
 * The kubelet's Docker container names ({@code dockershim/naming.go}): {@code
 * k8s_POD_<pod>_<namespace>_<uid>_<attempt>} for sandboxes and {@code
 * k8s_<container>_<pod>_<namespace>_<uid>_<restartCount>} for containers. Kubernetes names never
 * contain {@code _}, so the parts split unambiguously.
 */
final class DockerNames {
  static final String PREFIX = "k8s";
  static final String SANDBOX_CONTAINER_NAME = "POD";
  private static final String SEPARATOR = "_";

  private DockerNames() {}

  static String sandbox(PodKey pod, String uid, int attempt) {
    return container(SANDBOX_CONTAINER_NAME, pod, uid, attempt);
  }

  static String container(String container, PodKey pod, String uid, int attempt) {
    return String.join(
        SEPARATOR, PREFIX, container, pod.name(), pod.namespace(), uid, Integer.toString(attempt));
  }

  /** Parses a name as Docker reports it (with or without the leading {@code /}). */
  static Optional<Parsed> parse(String dockerName) {
    if (dockerName == null) {
      return Optional.empty();
    }
    String name = dockerName.startsWith("/") ? dockerName.substring(1) : dockerName;
    String[] parts = name.split(SEPARATOR, -1);
    // Old kubelets appended a random suffix; accept and ignore anything after the attempt.
    if (parts.length < 6 || !PREFIX.equals(parts[0])) {
      return Optional.empty();
    }
    try {
      int attempt = Integer.parseInt(parts[5]);
      return Optional.of(new Parsed(parts[1], new PodKey(parts[3], parts[2]), parts[4], attempt));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The parts of a {@code k8s_} name. */
  record Parsed(String container, PodKey pod, String uid, int attempt) {
    boolean isSandbox() {
      return SANDBOX_CONTAINER_NAME.equals(container);
    }
  }
}
