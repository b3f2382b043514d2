package io.staticlet.core.container;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerConfigRejectedException;
import io.staticlet.core.runtime.ContainerLaunch;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerSpec;
import io.staticlet.core.runtime.ContainerSpec.EnvEntry;
import io.staticlet.core.runtime.ContainerSpec.Mount;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.runtime.PodNamespaces;
import io.staticlet.core.runtime.PullPolicy;
import io.staticlet.core.runtime.TerminationMessagePolicy;
import io.staticlet.core.volume.PodDirectories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one container of a static pod into the {@link ContainerLaunch} the runtime creates,
 * applying the kubelet's runtime-independent rules: the environment ({@link EnvResolver}, downward
 * API included), {@code $(VAR)} expansion of command and args ({@link VarExpansion}), the host side
 * of every mount ({@link MountResolver}) and the termination-message file ({@link
 * TerminationMessages}), the merged security context, cgroup resources ({@link CgroupResources})
 * and the spec hash. Thread-safe; it prepares host directories and files as a side effect.
 */
public final class ContainerLaunches {
  private final EnvResolver env;
  private final MountResolver mounts;
  private final TerminationMessages terminationMessages;
  private final SecurityResolver security;

  /**
   * @param dirs the node's pod directories (emptyDir volumes, termination-message files)
   * @param seccompDir where {@code Localhost} seccomp profiles live
   * @param node what the node offers, for {@code resourceFieldRef} on an unset limit
   */
  public ContainerLaunches(PodDirectories dirs, Path seccompDir, NodeCapacity node) {
    this.env = new EnvResolver(node);
    this.mounts = new MountResolver(dirs);
    this.terminationMessages = new TerminationMessages(dirs);
    this.security = new SecurityResolver(seccompDir);
  }

  /**
   * The kubelet's layout under {@code rootDir} ({@code pods/}, {@code seccomp/}), this machine's
   * capacity.
   */
  public static ContainerLaunches onNode(Path rootDir) {
    return new ContainerLaunches(
        new PodDirectories(rootDir), rootDir.resolve("seccomp"), NodeCapacity.detect());
  }

  /**
   * @param container one of {@code pod}'s init or app containers (not modified)
   * @param podIp the sandbox's IP (the host IP for hostNetwork pods), for {@code status.podIP}
   * @param hostIp this node's IP, for {@code status.hostIP}
   * @throws ContainerSpecRejectedException when the kubelet would refuse the container ({@code
   *     CreateContainerError}); {@link ContainerConfigRejectedException} for a mount that cannot be
   *     prepared ({@code CreateContainerConfigError})
   */
  public ContainerLaunch resolve(
      StaticPod pod,
      Container container,
      ContainerRole role,
      int attempt,
      String sandboxId,
      String podIp,
      String hostIp) {
    PodSpec podSpec = pod.pod().getSpec();
    Map<String, String> variables = env.resolve(pod, container, podIp == null ? "" : podIp, hostIp);
    MountResolver.Mounts resolved = mounts.map(pod, container, variables);
    List<Mount> binds = new ArrayList<>(resolved.binds());
    terminationMessages.prepare(pod.uid(), container, attempt).ifPresent(binds::add);
    ContainerSpec spec =
        new ContainerSpec(
            container.getName(),
            container.getImage(),
            PullPolicy.of(container.getImagePullPolicy(), container.getImage()),
            expandAll(container.getCommand(), variables),
            expandAll(container.getArgs(), variables),
            variables.entrySet().stream().map(e -> new EnvEntry(e.getKey(), e.getValue())).toList(),
            binds,
            resolved.tmpfs(),
            ports(container.getPorts()),
            container.getWorkingDir(),
            new ContainerSpec.Terminal(
                Boolean.TRUE.equals(container.getTty()),
                Boolean.TRUE.equals(container.getStdin()),
                Boolean.TRUE.equals(container.getStdinOnce())),
            CgroupResources.of(container.getResources()),
            security.resolve(podSpec, container),
            container.getTerminationMessagePath(),
            TerminationMessagePolicy.of(container.getTerminationMessagePolicy()),
            container.getLifecycle() == null ? "" : container.getLifecycle().getStopSignal(),
            Optional.ofNullable(container.getLifecycle())
                .map(l -> l.getPreStop())
                .map(LifecycleHandlers::of),
            ContainerHash.of(container));
    return new ContainerLaunch(
        pod.key(),
        pod.uid(),
        role,
        attempt,
        sandboxId,
        Duration.ofSeconds(pod.terminationGracePeriodSeconds()),
        new PodNamespaces(
            pod.hostNetwork(),
            Boolean.TRUE.equals(podSpec.getHostPID()),
            Boolean.TRUE.equals(podSpec.getShareProcessNamespace())),
        spec);
  }

  private static List<String> expandAll(List<String> values, Map<String, String> variables) {
    return values == null
        ? List.of()
        : values.stream().map(v -> VarExpansion.expand(v, variables)).toList();
  }

  private static List<ContainerSpec.Port> ports(List<ContainerPort> ports) {
    if (ports == null) {
      return List.of();
    }
    return ports.stream()
        .map(
            p ->
                new ContainerSpec.Port(
                    p.getName(),
                    p.getContainerPort() == null ? 0 : p.getContainerPort(),
                    p.getProtocol(),
                    p.getHostPort() == null ? 0 : p.getHostPort(),
                    p.getHostIP()))
        .toList();
  }
}
