package io.staticlet.app.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the agent needs, parsed and validated once from flags and the optional
 * KubeletConfiguration file (flags win).
 *
 * @param kubeconfig empty path means standalone mode (no API server)
 * @param readOnlyPort 0 disables the read-only endpoint ({@code /pods}, {@code /healthz}, {@code /metrics})
 * @param oomScoreAdj the agent's own {@code oom_score_adj} (the kubelet's -999 by default)
 */
public record AgentConfig(
    Path staticPodPath,
    String nodeName,
    Path rootDir,
    String containerRuntimeEndpoint,
    String podInfraContainerImage,
    Duration fileCheckFrequency,
    Duration syncFrequency,
    String healthzBindAddress,
    int healthzPort,
    String address,
    int readOnlyPort,
    Path kubeconfig,
    boolean registerNode,
    boolean reregisterNode,
    String nodeIp,
    int workers,
    int oomScoreAdj) {

  public boolean clusterMode() {
    return kubeconfig != null;
  }
}
