package io.staticlet.core.runtime;

import io.staticlet.core.pod.PodKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pod sandbox the runtime creates for one pod attempt, with the kubelet's rules applied by core
 * ({@code io.staticlet.core.container.SandboxSpecs}): it owns the pod's network, IPC and (for
 * shareProcessNamespace) PID namespaces, and therefore the host ports of every container.
 * Immutable.
 *
 * @param attempt the sandbox attempt: the {@code _<n>} suffix of its name
 * @param labels the pod's labels
 * @param annotations the pod's annotations (the runtime records them, as dockershim does)
 * @param hostname the pod's hostname, already cut to the kubelet's 63 characters; unused with
 *     hostNetwork
 * @param hostEntries extra {@code /etc/hosts} lines from {@code hostAliases}
 * @param sysctls the pod's namespaced sysctls, in order
 * @param portMappings host ports of all init and app containers, without duplicates
 * @param gracePeriod the pod's termination grace period
 */
public record SandboxSpec(
    PodKey pod,
    String podUid,
    int attempt,
    Map<String, String> labels,
    Map<String, String> annotations,
    HostNamespaces hostNamespaces,
    String hostname,
    Dns dns,
    List<HostEntry> hostEntries,
    List<Sysctl> sysctls,
    List<PortMapping> portMappings,
    Duration gracePeriod) {
  public SandboxSpec {
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(podUid, "podUid");
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(hostNamespaces, "hostNamespaces");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(dns, "dns");
    hostEntries = List.copyOf(hostEntries);
    sysctls = List.copyOf(sysctls);
    portMappings = List.copyOf(portMappings);
    Objects.requireNonNull(gracePeriod, "gracePeriod");
  }

  /** Which of the host's namespaces the pod uses instead of its own. */
  public record HostNamespaces(boolean network, boolean pid, boolean ipc) {}

  /** The pod's {@code dnsConfig}; empty lists keep the engine's defaults. */
  public record Dns(List<String> nameservers, List<String> searches, List<DnsOption> options) {
    public Dns {
      nameservers = List.copyOf(nameservers);
      searches = List.copyOf(searches);
      options = List.copyOf(options);
    }
  }

  /** One resolver option; {@code value} empty for a flag such as {@code rotate}. */
  public record DnsOption(String name, String value) {
    public DnsOption {
      Objects.requireNonNull(name, "name");
      value = value == null ? "" : value;
    }
  }

  /** {@code hostname} resolves to {@code ip} inside the pod. */
  public record HostEntry(String hostname, String ip) {}

  /** One namespaced kernel parameter. */
  public record Sysctl(String name, String value) {}

  /**
   * A host port forwarded to a container port.
   *
   * @param protocol lower case: {@code tcp}, {@code udp} or {@code sctp}
   * @param hostIp empty for all addresses
   */
  public record PortMapping(int containerPort, String protocol, String hostIp, int hostPort) {}
}
