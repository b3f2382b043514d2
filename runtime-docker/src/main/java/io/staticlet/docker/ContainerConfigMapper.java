package io.staticlet.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerLaunch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One init or app container as dockershim creates it: it joins the sandbox's network, IPC (and
 * with shareProcessNamespace, PID) namespaces, Docker never restarts it (the agent does), Docker's
 * healthcheck is off, and the spec's command, environment, volumes, resources and security
 * context are translated.
 */
final class ContainerConfigMapper {
  private static final HealthCheck NO_HEALTHCHECK = new HealthCheck().withTest(List.of("NONE"));

  private final EnvResolver envResolver;
  private final VolumeMapper volumes;
  private final TerminationMessages terminationMessages;
  private final SecurityContextMapper security;
  private final String nodeName;

  ContainerConfigMapper(
      EnvResolver envResolver,
      VolumeMapper volumes,
      TerminationMessages terminationMessages,
      SecurityContextMapper security,
      String nodeName) {
    this.nodeName = nodeName;
    this.envResolver = envResolver;
    this.volumes = volumes;
    this.terminationMessages = terminationMessages;
    this.security = security;
  }

  /**
   * Fills {@code cmd}; prepares host directories and the termination-log file as a side effect.
   *
   * @param hostIp for {@code status.hostIP} fieldRefs
   */
  CreateContainerCmd apply(CreateContainerCmd cmd, StaticPod pod, ContainerLaunch launch, String hostIp) {
    Container spec = launch.spec();
    PodSpec podSpec = pod.pod().getSpec();
    String sandbox = "container:" + launch.sandboxId();

    Map<String, String> env = envResolver.resolve(pod, spec, launch.podIp(), hostIp);
    EntrypointResolver.ResolvedCommand command = EntrypointResolver.resolve(spec, env);
    VolumeMapper.Mounts mounts = volumes.map(pod, spec, env);
    List<Bind> binds = new ArrayList<>(mounts.binds());
    terminationMessages.prepare(pod.uid(), spec, launch.attempt()).ifPresent(binds::add);

    HostConfig hostConfig = HostConfig.newHostConfig()
        .withNetworkMode(sandbox)
        .withIpcMode(sandbox)
        .withRestartPolicy(RestartPolicy.noRestart());
    if (pod.hostNetwork()) {
      hostConfig.withUtSMode("host");
    }
    if (Boolean.TRUE.equals(podSpec.getHostPID())) {
      hostConfig.withPidMode("host");
    } else if (Boolean.TRUE.equals(podSpec.getShareProcessNamespace())) {
      hostConfig.withPidMode(sandbox);
    }
    if (!binds.isEmpty()) {
      hostConfig.withBinds(binds);
    }
    if (!mounts.tmpfs().isEmpty()) {
      hostConfig.withTmpFs(mounts.tmpfs());
    }
    ResourceMapper.apply(spec, hostConfig);
    security.apply(podSpec, spec, hostConfig);

    cmd.withName(DockerNames.container(spec.getName(), pod.key(), pod.uid(), launch.attempt()))
        .withLabels(DockerLabels.forContainer(pod, launch, nodeName))
        .withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
        .withHealthcheck(NO_HEALTHCHECK)
        .withTty(Boolean.TRUE.equals(spec.getTty()))
        .withStdinOpen(Boolean.TRUE.equals(spec.getStdin()))
        .withStdInOnce(Boolean.TRUE.equals(spec.getStdinOnce()))
        .withHostConfig(hostConfig);
    if (!command.entrypoint().isEmpty()) {
      cmd.withEntrypoint(command.entrypoint());
    }
    if (!command.cmd().isEmpty()) {
      cmd.withCmd(command.cmd());
    }
    if (spec.getWorkingDir() != null && !spec.getWorkingDir().isEmpty()) {
      cmd.withWorkingDir(spec.getWorkingDir());
    }
    String user = security.user(podSpec, spec);
    if (!user.isEmpty()) {
      cmd.withUser(user);
    }
    if (spec.getLifecycle() != null && spec.getLifecycle().getStopSignal() != null) {
      cmd.withStopSignal(spec.getLifecycle().getStopSignal());
    }
    return cmd;
  }
}
