package io.staticlet.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.staticlet.core.pod.StaticPod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The pod sandbox ("pause" container) as dockershim creates it: it owns the pod's network, IPC and
 * (with shareProcessNamespace) PID namespaces, and therefore also the hostPort bindings of every
 * container in the pod.
 */
final class SandboxConfigMapper {
  static final int SANDBOX_CPU_SHARES = 2;
  static final int MAX_HOSTNAME_LENGTH = 63;

  private SandboxConfigMapper() {}

  static CreateContainerCmd apply(CreateContainerCmd cmd, StaticPod pod, int attempt, int oomScoreAdj, String nodeName) {
    PodSpec spec = pod.pod().getSpec();
    boolean hostNetwork = pod.hostNetwork();
    HostConfig hostConfig = HostConfig.newHostConfig()
        .withIpcMode(Boolean.TRUE.equals(spec.getHostIPC()) ? "host" : "shareable")
        .withNetworkMode(hostNetwork ? "host" : "default")
        .withOomScoreAdj(oomScoreAdj)
        .withCpuShares(SANDBOX_CPU_SHARES)
        .withRestartPolicy(RestartPolicy.noRestart());
    if (Boolean.TRUE.equals(spec.getHostPID())) {
      hostConfig.withPidMode("host");
    }
    List<String> extraHosts = extraHosts(spec);
    if (!extraHosts.isEmpty()) {
      hostConfig.withExtraHosts(extraHosts.toArray(new String[0]));
    }
    if (spec.getSecurityContext() != null && spec.getSecurityContext().getSysctls() != null
        && !spec.getSecurityContext().getSysctls().isEmpty()) {
      Map<String, String> sysctls = new LinkedHashMap<>();
      for (Sysctl s : spec.getSecurityContext().getSysctls()) {
        sysctls.put(s.getName(), s.getValue());
      }
      hostConfig.withSysctls(sysctls);
    }
    if (!hostNetwork) {
      applyDns(spec.getDnsConfig(), hostConfig);
      Ports bindings = portBindings(spec);
      if (!bindings.getBindings().isEmpty()) {
        hostConfig.withPortBindings(bindings);
        cmd.withExposedPorts(new ArrayList<>(bindings.getBindings().keySet()));
      }
      cmd.withHostName(hostname(pod));
    }
    return cmd
        .withName(DockerNames.sandbox(pod.key(), pod.uid(), attempt))
        .withLabels(DockerLabels.forSandbox(pod, nodeName))
        .withHostConfig(hostConfig);
  }

  /** The pod's hostname: {@code spec.hostname} or the pod name, cut to 63 characters like the kubelet. */
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

  /** hostPort bindings of every init and app container, keyed by container port and protocol. */
  static Ports portBindings(PodSpec spec) {
    Ports ports = new Ports();
    Set<String> seen = new LinkedHashSet<>();
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
        String protocol = p.getProtocol() == null ? "tcp" : p.getProtocol().toLowerCase(Locale.ROOT);
        String hostIp = p.getHostIP() == null ? "" : p.getHostIP();
        if (!seen.add(p.getContainerPort() + "/" + protocol + "/" + hostIp + ":" + p.getHostPort())) {
          continue;
        }
        ExposedPort exposed = new ExposedPort(p.getContainerPort(), InternetProtocol.parse(protocol));
        ports.bind(exposed, hostIp.isEmpty()
            ? Ports.Binding.bindPort(p.getHostPort())
            : Ports.Binding.bindIpAndPort(hostIp, p.getHostPort()));
      }
    }
    return ports;
  }

  private static List<String> extraHosts(PodSpec spec) {
    List<String> hosts = new ArrayList<>();
    if (spec.getHostAliases() != null) {
      for (HostAlias alias : spec.getHostAliases()) {
        if (alias.getHostnames() != null) {
          for (String name : alias.getHostnames()) {
            hosts.add(name + ":" + alias.getIp());
          }
        }
      }
    }
    return hosts;
  }

  private static void applyDns(PodDNSConfig dns, HostConfig hostConfig) {
    if (dns == null) {
      return;
    }
    if (dns.getNameservers() != null && !dns.getNameservers().isEmpty()) {
      hostConfig.withDns(dns.getNameservers());
    }
    if (dns.getSearches() != null && !dns.getSearches().isEmpty()) {
      hostConfig.withDnsSearch(dns.getSearches());
    }
    if (dns.getOptions() != null && !dns.getOptions().isEmpty()) {
      hostConfig.withDnsOptions(dns.getOptions().stream()
          .map(o -> o.getValue() == null || o.getValue().isEmpty() ? o.getName() : o.getName() + ":" + o.getValue())
          .toList());
    }
  }
}
