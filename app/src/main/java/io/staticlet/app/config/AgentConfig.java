package io.staticlet.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.staticlet.mirror.NodeRegistration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the agent needs, parsed and validated once from flags and the optional
 * KubeletConfiguration file (flags win).
 *
 * @param kubeconfig empty path means standalone mode (no API server)
 * @param readOnlyPort 0 disables the read-only endpoint ({@code /pods}, {@code /healthz}, {@code
 *     /metrics})
 * @param oomScoreAdj the agent's own {@code oom_score_adj} (the kubelet's -999 by default)
 * @param registration labels, taints and pod capacity of the Node when the agent creates it
 * @param nodeStatusUpdateFrequency how often the node status is computed
 *     [nodeStatusUpdateFrequency]
 * @param nodeStatusReportFrequency an unchanged status is still written this often
 *     [nodeStatusReportFrequency]
 * @param nodeLeaseDurationSeconds the Lease's duration [nodeLeaseDurationSeconds]
 * @param acceptedNotUsed kubelet flags ({@code --network-plugin}) and config fields ({@code config
 *     cgroupDriver}) given that staticlet accepts and does not act on, listed once at start-up
 * @param unknownConfigFields config fields v1beta1 does not define (the kubelet 1.20 ignores them
 *     too)
 * @param kubeletApi the authenticated kubelet API on {@code port}
 * @param configDocument the {@code --config} file as read (for {@code /configz}), or null
 * @param bootstrapKubeconfig {@code --bootstrap-kubeconfig}: TLS bootstrap when the kubeconfig is
 *     unusable; null: none
 * @param certDir {@code --cert-dir} ({@code <root-dir>/pki}): {@code kubelet-client-current.pem}
 *     and its predecessors
 * @param rotateCertificates {@code rotateCertificates}: renew the client certificate before it
 *     expires
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
    int oomScoreAdj,
    NodeRegistration registration,
    Duration nodeStatusUpdateFrequency,
    Duration nodeStatusReportFrequency,
    int nodeLeaseDurationSeconds,
    List<String> acceptedNotUsed,
    List<String> unknownConfigFields,
    KubeletApiConfig kubeletApi,
    JsonNode configDocument,
    Path bootstrapKubeconfig,
    Path certDir,
    boolean rotateCertificates) {

  public boolean clusterMode() {
    return kubeconfig != null;
  }
}
