package io.staticlet.core.container;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.SandboxSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@link SandboxSpec} of a static pod's attempt, with the kubelet's rules: the hostname ({@code
 * spec.hostname} or the pod name, cut to 63 characters without a trailing {@code -} or {@code .}),
 * the host ports of every init and app container (duplicates dropped), host aliases, DNS config and
 * sysctls. Stateless, thread-safe.
 */
public final class SandboxSpecs {
  static final int MAX_HOSTNAME_LENGTH = 63;

  private SandboxSpecs() {}

  public static SandboxSpec of(StaticPod pod, int attempt) {
    PodSpec spec = pod.pod().getSpec();
    Map<String, String> labels = pod.pod().getMetadata().getLabels();
    Map<String, String> annotations = pod.pod().getMetadata().getAnnotations();
    List<SandboxSpec.Sysctl> sysctls =
        spec.getSecurityContext() == null || spec.getSecurityContext().getSysctls() == null
            ? List.of()
            : spec.getSecurityContext().getSysctls().stream()
                .map(s -> new SandboxSpec.Sysctl(s.getName(), s.getValue()))
                .toList();
    return new SandboxSpec(
        pod.key(),
        pod.uid(),
        attempt,
        withoutNulls(labels),
        withoutNulls(annotations),
        new SandboxSpec.HostNamespaces(
            pod.hostNetwork(),
            Boolean.TRUE.equals(spec.getHostPID()),
            Boolean.TRUE.equals(spec.getHostIPC())),
        hostname(pod),
        dns(spec.getDnsConfig()),
        hostEntries(spec),
        sysctls,
        portMappings(spec),
        Duration.ofSeconds(pod.terminationGracePeriodSeconds()));
  }

  private static Map<String, String> withoutNulls(Map<String, String> map) {
    Map<String, String> copy = new LinkedHashMap<>();
    if (map != null) {
      map.forEach((k, v) -> copy.put(k, v == null ? "" : v));
    }
    return copy;
  }

  /**
   * The pod's hostname: {@code spec.hostname} or the pod name, cut to 63 characters like the
   * kubelet.
   */
  static String hostname(StaticPod pod) {
    String hostname = pod.pod().getSpec().getHostname();
    String name = hostname == null || hostname.isEmpty() ? pod.key().name() : hostname;
    if (name.length() <= MAX_HOSTNAME_LENGTH) {
      return name;
    }
    String cut = name.substring(0, MAX_HOSTNAME_LENGTH);
    int end = cut.length();
    while (end > 0 && (cut.charAt(end - 1) == '-' || cut.charAt(end - 1) == '.')) {
      end--;
    }
    return cut.substring(0, end);
  }

  /**
   * hostPort mappings of every init and app container, each (container port, protocol, host IP,
   * host port) once.
   */
  static List<SandboxSpec.PortMapping> portMappings(PodSpec spec) {
    Set<SandboxSpec.PortMapping> seen = new LinkedHashSet<>();
    List<Container> all = new ArrayList<>();
    if (spec.getInitContainers() != null) {
      all.addAll(spec.getInitContainers());
    }
    all.addAll(spec.getContainers());
    for (Container c : all) {
      if (c.getPorts() == null) {
        continue;
      }
      for (ContainerPort p : c.getPorts()) {
        if (p.getHostPort() == null || p.getHostPort() <= 0 || p.getContainerPort() == null) {
          continue;
        }
        String protocol =
            p.getProtocol() == null ? "tcp" : p.getProtocol().toLowerCase(Locale.ROOT);
        String hostIp = p.getHostIP() == null ? "" : p.getHostIP();
        seen.add(
            new SandboxSpec.PortMapping(p.getContainerPort(), protocol, hostIp, p.getHostPort()));
      }
    }
    return List.copyOf(seen);
  }

  private static List<SandboxSpec.HostEntry> hostEntries(PodSpec spec) {
    List<SandboxSpec.HostEntry> hosts = new ArrayList<>();
    if (spec.getHostAliases() != null) {
      for (HostAlias alias : spec.getHostAliases()) {
        if (alias.getHostnames() != null) {
          for (String name : alias.getHostnames()) {
            hosts.add(new SandboxSpec.HostEntry(name, alias.getIp()));
          }
        }
      }
    }
    return hosts;
  }

  private static SandboxSpec.Dns dns(PodDNSConfig dns) {
    if (dns == null) {
      return new SandboxSpec.Dns(List.of(), List.of(), List.of());
    }
    return new SandboxSpec.Dns(
        dns.getNameservers() == null ? List.of() : dns.getNameservers(),
        dns.getSearches() == null ? List.of() : dns.getSearches(),
        dns.getOptions() == null
            ? List.of()
            : dns.getOptions().stream()
                .map(o -> new SandboxSpec.DnsOption(o.getName(), o.getValue()))
                .toList());
  }
}
