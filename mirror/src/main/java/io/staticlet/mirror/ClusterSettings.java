package io.staticlet.mirror;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the agent joins a cluster (kubelet flag names in brackets).
 *
 * @param kubeconfig credentials of {@code system:node:<nodeName>} [--kubeconfig]
 * @param nodeName the Node object's name, lower case [--hostname-override]
 * @param nodeIp the InternalIP address published on the Node [--node-ip]; empty: the default
 *     route's address
 * @param registerNode create the Node object; false only reads the UID of an existing one [--register-node]
 * @param reregisterNode register again when the Node object is deleted while the agent runs
 *     (DECISIONS.md 17)
 * @param nodeStatusUpdateFrequency how often node status is computed [nodeStatusUpdateFrequency, 10 s]
 * @param nodeStatusReportFrequency unchanged status is still written this often [nodeStatusReportFrequency, 5 m]
 * @param leaseRenew how often the Lease is renewed (10 s)
 * @param leaseDurationSeconds the Lease's duration [nodeLeaseDurationSeconds, 40]
 * @param qps sustained API requests per second of this agent (0: unlimited) [kubeAPIQPS]
 * @param burst requests allowed in a burst, also the limit of concurrent requests [kubeAPIBurst]
 * @param registration labels, taints and capacity of the Node when it is created
 * @param kubeletPort the kubelet API's port published as {@code status.daemonEndpoints.kubeletEndpoint.Port} [port]
 */
public record ClusterSettings(
    Path kubeconfig,
    String nodeName,
    String nodeIp,
    boolean registerNode,
    boolean reregisterNode,
    Duration nodeStatusUpdateFrequency,
    Duration nodeStatusReportFrequency,
    Duration leaseRenew,
    int leaseDurationSeconds,
    double qps,
    int burst,
    NodeRegistration registration,
    int kubeletPort) {
  public ClusterSettings {
    Objects.requireNonNull(registration, "registration");
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(nodeIp, "nodeIp");
    Objects.requireNonNull(nodeStatusUpdateFrequency, "nodeStatusUpdateFrequency");
    Objects.requireNonNull(nodeStatusReportFrequency, "nodeStatusReportFrequency");
    Objects.requireNonNull(leaseRenew, "leaseRenew");
    if (nodeName.isEmpty() || !nodeName.equals(nodeName.toLowerCase(java.util.Locale.ROOT))) {
      throw new IllegalArgumentException("nodeName must be a non-empty lower-case name, got '" + nodeName + "'");
    }
    if (leaseDurationSeconds < 1) {
      throw new IllegalArgumentException("leaseDurationSeconds must be positive, got " + leaseDurationSeconds);
    }
    if (qps < 0 || burst < 1) {
      throw new IllegalArgumentException("qps must be >= 0 and burst >= 1, got qps=" + qps + " burst=" + burst);
    }
  }

  /** With the kubelet API on its default port 10250. */
  public ClusterSettings(
      Path kubeconfig, String nodeName, String nodeIp, boolean registerNode, boolean reregisterNode,
      Duration nodeStatusUpdateFrequency, Duration nodeStatusReportFrequency, Duration leaseRenew,
      int leaseDurationSeconds, double qps, int burst, NodeRegistration registration) {
    this(kubeconfig, nodeName, nodeIp, registerNode, reregisterNode, nodeStatusUpdateFrequency,
        nodeStatusReportFrequency, leaseRenew, leaseDurationSeconds, qps, burst, registration, 10250);
  }

  /** Settings that register the Node with the kubelet's defaults ({@link NodeRegistration#DEFAULT}). */
  public ClusterSettings(
      Path kubeconfig, String nodeName, String nodeIp, boolean registerNode, boolean reregisterNode,
      Duration nodeStatusUpdateFrequency, Duration nodeStatusReportFrequency, Duration leaseRenew,
      int leaseDurationSeconds, double qps, int burst) {
    this(kubeconfig, nodeName, nodeIp, registerNode, reregisterNode, nodeStatusUpdateFrequency,
        nodeStatusReportFrequency, leaseRenew, leaseDurationSeconds, qps, burst, NodeRegistration.DEFAULT);
  }

  /** These settings with {@code nodeIp} replaced. */
  public ClusterSettings withNodeIp(String ip) {
    return new ClusterSettings(kubeconfig, nodeName, ip, registerNode, reregisterNode, nodeStatusUpdateFrequency,
        nodeStatusReportFrequency, leaseRenew, leaseDurationSeconds, qps, burst, registration, kubeletPort);
  }

  /** The kubelet's defaults, except qps/burst (20/40 rather than 5/10: 100 pods starting at once). */
  public static ClusterSettings defaults(Path kubeconfig, String nodeName, String nodeIp) {
    return new ClusterSettings(kubeconfig, nodeName, nodeIp, true, true, Duration.ofSeconds(10), Duration.ofMinutes(5),
        Duration.ofSeconds(10), 40, 20, 40);
  }
}
