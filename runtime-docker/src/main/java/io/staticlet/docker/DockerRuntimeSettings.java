package io.staticlet.docker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the Docker runtime adapter.
 *
 * @param endpoint Docker engine address, e.g. {@code unix:///var/run/docker.sock}
 * @param podInfraImage the sandbox ("pause") image; pulled only if not present
 * @param rootDir staticlet's state directory: emptyDir volumes live under {@code
 *     <rootDir>/pods/<uid>/volumes/kubernetes.io~empty-dir/<name>}, termination-message files under
 *     {@code <rootDir>/pods/<uid>/containers/<name>/<attempt>/termination-log}
 * @param nodeName this node's name ({@code spec.nodeName} fieldRefs)
 * @param hostIp override for {@code status.hostIP}; empty to detect it from the default route
 * @param sandboxOomScoreAdj the sandboxes' {@code oom_score_adj}: the kubelet's -998 by default; a
 *     negative value the engine refuses falls back to 0 (see {@link SandboxLauncher})
 */
public record DockerRuntimeSettings(
    String endpoint,
    String podInfraImage,
    Path rootDir,
    String nodeName,
    String hostIp,
    int sandboxOomScoreAdj) {
  public static final String DEFAULT_ENDPOINT = "unix:///var/run/docker.sock";
  public static final String DEFAULT_POD_INFRA_IMAGE = "registry.k8s.io/pause:3.10";
  public static final Path DEFAULT_ROOT_DIR = Path.of("/var/lib/staticlet");

  /** The kubelet's sandbox score: below every pod container, above the agent's own -999. */
  public static final int DEFAULT_SANDBOX_OOM_SCORE_ADJ = -998;

  public DockerRuntimeSettings {
    endpoint = blankToDefault(endpoint, DEFAULT_ENDPOINT);
    podInfraImage = blankToDefault(podInfraImage, DEFAULT_POD_INFRA_IMAGE);
    rootDir = rootDir == null ? DEFAULT_ROOT_DIR : rootDir.toAbsolutePath().normalize();
    Objects.requireNonNull(nodeName, "nodeName");
    if (nodeName.isBlank()) {
      throw new IllegalArgumentException("nodeName must not be blank");
    }
    hostIp = hostIp == null ? "" : hostIp.trim();
    if (sandboxOomScoreAdj < -1000 || sandboxOomScoreAdj > 1000) {
      throw new IllegalArgumentException(
          "sandboxOomScoreAdj must be in [-1000, 1000], got " + sandboxOomScoreAdj);
    }
  }

  /** Settings with the kubelet's sandbox {@code oom_score_adj}. */
  public DockerRuntimeSettings(
      String endpoint, String podInfraImage, Path rootDir, String nodeName, String hostIp) {
    this(endpoint, podInfraImage, rootDir, nodeName, hostIp, DEFAULT_SANDBOX_OOM_SCORE_ADJ);
  }

  /** Defaults for everything but the node name. */
  public static DockerRuntimeSettings defaults(String nodeName) {
    return new DockerRuntimeSettings(null, null, null, nodeName, null);
  }

  public DockerRuntimeSettings withRootDir(Path dir) {
    return new DockerRuntimeSettings(
        endpoint, podInfraImage, dir, nodeName, hostIp, sandboxOomScoreAdj);
  }

  public DockerRuntimeSettings withEndpoint(String value) {
    return new DockerRuntimeSettings(
        value, podInfraImage, rootDir, nodeName, hostIp, sandboxOomScoreAdj);
  }

  public DockerRuntimeSettings withHostIp(String value) {
    return new DockerRuntimeSettings(
        endpoint, podInfraImage, rootDir, nodeName, value, sandboxOomScoreAdj);
  }

  public DockerRuntimeSettings withSandboxOomScoreAdj(int value) {
    return new DockerRuntimeSettings(endpoint, podInfraImage, rootDir, nodeName, hostIp, value);
  }

  private static String blankToDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value.trim();
  }
}
