package io.staticlet.mirror;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How the agent takes part in a cluster, as four small named records (kubelet flag or
 * KubeletConfiguration field in brackets). The API credentials are not here: {@link
 * io.staticlet.mirror.credentials.NodeCredentials} owns them.
 *
 * @param node who this node is
 * @param registration whether and how the Node object is created
 * @param heartbeats how often node status and the Lease are written
 * @param api this agent's request budget against the API server
 */
public record ClusterSettings(
    NodeIdentity node, Registration registration, Heartbeats heartbeats, ApiBudget api) {
  public ClusterSettings {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(registration, "registration");
    Objects.requireNonNull(heartbeats, "heartbeats");
    Objects.requireNonNull(api, "api");
  }

  /**
   * @param name the Node object's name, lower case [--hostname-override]
   * @param ip the InternalIP address published on the Node [--node-ip]; the app resolves an empty
   *     flag to the default route's address before it gets here
   * @param kubeletPort the kubelet API's port published as {@code
   *     status.daemonEndpoints.kubeletEndpoint.Port} [port]
   */
  public record NodeIdentity(String name, String ip, int kubeletPort) {
    /** The kubelet API's default port. */
    public static final int KUBELET_PORT = 10250;

    public NodeIdentity {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(ip, "ip");
      if (name.isEmpty() || !name.equals(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "node name must be a non-empty lower-case name, got '" + name + "'");
      }
    }
  }

  /**
   * @param registerNode create the Node object; false only reads the UID of an existing one
   *     [--register-node]
   * @param reregisterNode register again when the Node object is deleted while the agent runs
   *     (DECISIONS.md 17)
   * @param onCreate labels, taints and capacity of the Node when it is created
   */
  public record Registration(
      boolean registerNode, boolean reregisterNode, NodeRegistration onCreate) {
    /** The kubelet's: register, again when deleted, with {@link NodeRegistration#DEFAULT}. */
    public static final Registration DEFAULT =
        new Registration(true, true, NodeRegistration.DEFAULT);

    public Registration {
      Objects.requireNonNull(onCreate, "onCreate");
    }
  }

  /**
   * @param statusUpdate how often node status is computed [nodeStatusUpdateFrequency, 10 s]
   * @param statusReport unchanged status is still written this often [nodeStatusReportFrequency, 5
   *     m]
   * @param leaseRenew how often the Lease is renewed (a quarter of its duration: 10 s)
   * @param leaseDurationSeconds the Lease's duration [nodeLeaseDurationSeconds, 40]
   */
  public record Heartbeats(
      Duration statusUpdate, Duration statusReport, Duration leaseRenew, int leaseDurationSeconds) {
    /** The kubelet's defaults. */
    public static final Heartbeats KUBELET = of(Duration.ofSeconds(10), Duration.ofMinutes(5), 40);

    public Heartbeats {
      Objects.requireNonNull(statusUpdate, "statusUpdate");
      Objects.requireNonNull(statusReport, "statusReport");
      Objects.requireNonNull(leaseRenew, "leaseRenew");
      if (leaseDurationSeconds < 1) {
        throw new IllegalArgumentException(
            "leaseDurationSeconds must be positive, got " + leaseDurationSeconds);
      }
    }

    /** The Lease renewed every quarter of its duration, as the kubelet does. */
    public static Heartbeats of(
        Duration statusUpdate, Duration statusReport, int leaseDurationSeconds) {
      return new Heartbeats(
          statusUpdate,
          statusReport,
          Duration.ofMillis(leaseDurationSeconds * 250L),
          leaseDurationSeconds);
    }
  }

  /**
   * @param qps sustained API requests per second of this agent (0: unlimited) [kubeAPIQPS]
   * @param burst requests allowed in a burst, also the limit of concurrent requests [kubeAPIBurst]
   */
  public record ApiBudget(double qps, int burst) {
    /** 20/40 rather than the kubelet's 5/10: 100 pods starting at once. */
    public static final ApiBudget DEFAULT = new ApiBudget(20, 40);

    public ApiBudget {
      if (qps < 0 || burst < 1) {
        throw new IllegalArgumentException(
            "qps must be >= 0 and burst >= 1, got qps=" + qps + " burst=" + burst);
      }
    }
  }

  /** The Node's name (the form used in every log line and API path). */
  public String nodeName() {
    return node.name();
  }

  /** The kubelet's defaults for a node of this name and address, with {@link ApiBudget#DEFAULT}. */
  public static ClusterSettings defaults(String nodeName, String nodeIp) {
    return new ClusterSettings(
        new NodeIdentity(nodeName, nodeIp, NodeIdentity.KUBELET_PORT),
        Registration.DEFAULT,
        Heartbeats.KUBELET,
        ApiBudget.DEFAULT);
  }
}
