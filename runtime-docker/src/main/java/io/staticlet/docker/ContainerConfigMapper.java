package io.staticlet.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PropagationMode;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.SELContext;
import com.github.dockerjava.api.model.Volume;
import io.staticlet.core.runtime.ContainerLaunch;
import io.staticlet.core.runtime.ContainerSpec;
import io.staticlet.core.runtime.MountPropagation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One init or app container as dockershim creates it: it joins the sandbox's network, IPC (and with
 * shareProcessNamespace, PID) namespaces, Docker never restarts it (the agent does), Docker's
 * healthcheck is off, and core's resolved command, environment, mounts, resources and security
 * context are translated. It maps; every Kubernetes decision was made in core. Stateless.
 */
final class ContainerConfigMapper {
  private static final HealthCheck NO_HEALTHCHECK = new HealthCheck().withTest(List.of("NONE"));

  private final SecurityContextMapper security;
  private final String nodeName;

  ContainerConfigMapper(SecurityContextMapper security, String nodeName) {
    this.nodeName = nodeName;
    this.security = security;
  }

  /**
   * Fills {@code cmd}. {@code command} replaces the image's ENTRYPOINT and {@code args} its CMD;
   * Docker's own merge rule (a non-empty ENTRYPOINT drops the image CMD; an empty one keeps the
   * image's ENTRYPOINT and, if CMD is empty too, its CMD) implements Kubernetes' exactly, so empty
   * lists stay unset.
   */
  CreateContainerCmd apply(CreateContainerCmd cmd, ContainerLaunch launch) {
    ContainerSpec spec = launch.spec();
    String sandbox = "container:" + launch.sandboxId();

    HostConfig hostConfig =
        HostConfig.newHostConfig()
            .withNetworkMode(sandbox)
            .withIpcMode(sandbox)
            .withRestartPolicy(RestartPolicy.noRestart());
    if (launch.namespaces().hostNetwork()) {
      hostConfig.withUtSMode("host");
    }
    if (launch.namespaces().hostPid()) {
      hostConfig.withPidMode("host");
    } else if (launch.namespaces().shareProcessNamespace()) {
      hostConfig.withPidMode(sandbox);
    }
    if (!spec.mounts().isEmpty()) {
      hostConfig.withBinds(spec.mounts().stream().map(ContainerConfigMapper::bind).toList());
    }
    if (!spec.tmpfs().isEmpty()) {
      Map<String, String> tmpfs = new LinkedHashMap<>();
      spec.tmpfs().forEach(t -> tmpfs.put(t.containerPath(), t.readOnly() ? "ro" : "rw"));
      hostConfig.withTmpFs(tmpfs);
    }
    ContainerSpec.Resources resources = spec.resources();
    if (resources.memoryLimitBytes() > 0) {
      hostConfig.withMemory(resources.memoryLimitBytes());
    }
    if (resources.cpuQuotaMicros() > 0) {
      hostConfig
          .withCpuPeriod(resources.cpuPeriodMicros())
          .withCpuQuota(resources.cpuQuotaMicros());
    }
    hostConfig.withCpuShares(resources.cpuShares());
    security.apply(spec, hostConfig);

    cmd.withName(
            DockerNames.container(spec.name(), launch.pod(), launch.podUid(), launch.attempt()))
        .withLabels(DockerLabels.forContainer(launch, nodeName))
        .withEnv(spec.env().stream().map(e -> e.name() + "=" + e.value()).toList())
        .withHealthcheck(NO_HEALTHCHECK)
        .withTty(spec.terminal().tty())
        .withStdinOpen(spec.terminal().stdin())
        .withStdInOnce(spec.terminal().stdinOnce())
        .withHostConfig(hostConfig);
    if (!spec.command().isEmpty()) {
      cmd.withEntrypoint(spec.command());
    }
    if (!spec.args().isEmpty()) {
      cmd.withCmd(spec.args());
    }
    if (!spec.workingDir().isEmpty()) {
      cmd.withWorkingDir(spec.workingDir());
    }
    String user = security.user(spec);
    if (!user.isEmpty()) {
      cmd.withUser(user);
    }
    if (!spec.stopSignal().isEmpty()) {
      cmd.withStopSignal(spec.stopSignal());
    }
    return cmd;
  }

  static Bind bind(ContainerSpec.Mount mount) {
    return new Bind(
        mount.hostPath(),
        new Volume(mount.containerPath()),
        mount.readOnly() ? AccessMode.ro : AccessMode.rw,
        SELContext.none,
        null,
        propagation(mount.propagation()));
  }

  private static PropagationMode propagation(MountPropagation propagation) {
    switch (propagation) {
      case HOST_TO_CONTAINER:
        return PropagationMode.RSLAVE;
      case BIDIRECTIONAL:
        return PropagationMode.RSHARED;
      default:
        return PropagationMode.DEFAULT_MODE;
    }
  }
}
