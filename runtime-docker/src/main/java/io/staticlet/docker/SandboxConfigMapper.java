package io.staticlet.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import io.staticlet.core.runtime.SandboxSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pod sandbox ("pause" container) as dockershim creates it: it owns the pod's network, IPC and
 * (with shareProcessNamespace) PID namespaces, and therefore also the hostPort bindings of every
 * container in the pod. It maps core's {@link SandboxSpec}; the Kubernetes rules were applied
 * there.
 */
final class SandboxConfigMapper {
  static final int SANDBOX_CPU_SHARES = 2;

  private SandboxConfigMapper() {}

  static CreateContainerCmd apply(
      CreateContainerCmd cmd, SandboxSpec spec, int oomScoreAdj, String nodeName) {
    boolean hostNetwork = spec.hostNamespaces().network();
    HostConfig hostConfig =
        HostConfig.newHostConfig()
            .withIpcMode(spec.hostNamespaces().ipc() ? "host" : "shareable")
            .withNetworkMode(hostNetwork ? "host" : "default")
            .withOomScoreAdj(oomScoreAdj)
            .withCpuShares(SANDBOX_CPU_SHARES)
            .withRestartPolicy(RestartPolicy.noRestart());
    if (spec.hostNamespaces().pid()) {
      hostConfig.withPidMode("host");
    }
    if (!spec.hostEntries().isEmpty()) {
      hostConfig.withExtraHosts(
          spec.hostEntries().stream().map(h -> h.hostname() + ":" + h.ip()).toArray(String[]::new));
    }
    if (!spec.sysctls().isEmpty()) {
      Map<String, String> sysctls = new LinkedHashMap<>();
      spec.sysctls().forEach(s -> sysctls.put(s.name(), s.value()));
      hostConfig.withSysctls(sysctls);
    }
    if (!hostNetwork) {
      applyDns(spec.dns(), hostConfig);
      Ports bindings = portBindings(spec);
      if (!bindings.getBindings().isEmpty()) {
        hostConfig.withPortBindings(bindings);
        cmd.withExposedPorts(new ArrayList<>(bindings.getBindings().keySet()));
      }
      cmd.withHostName(spec.hostname());
    }
    return cmd.withName(DockerNames.sandbox(spec.pod(), spec.podUid(), spec.attempt()))
        .withLabels(DockerLabels.forSandbox(spec, nodeName))
        .withHostConfig(hostConfig);
  }

  /** Docker port bindings, keyed by container port and protocol. */
  static Ports portBindings(SandboxSpec spec) {
    Ports ports = new Ports();
    for (SandboxSpec.PortMapping p : spec.portMappings()) {
      ExposedPort exposed =
          new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
      ports.bind(
          exposed,
          p.hostIp().isEmpty()
              ? Ports.Binding.bindPort(p.hostPort())
              : Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()));
    }
    return ports;
  }

  private static void applyDns(SandboxSpec.Dns dns, HostConfig hostConfig) {
    if (!dns.nameservers().isEmpty()) {
      hostConfig.withDns(dns.nameservers());
    }
    if (!dns.searches().isEmpty()) {
      hostConfig.withDnsSearch(dns.searches());
    }
    if (!dns.options().isEmpty()) {
      hostConfig.withDnsOptions(
          dns.options().stream()
              .map(o -> o.value().isEmpty() ? o.name() : o.name() + ":" + o.value())
              .toList());
    }
  }
}
