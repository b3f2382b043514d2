package io.staticlet.core.container;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's environment as the kubelet builds it ({@code makeEnvironmentVariables}): values in
 * order, each {@code value} expanded against the variables defined before it, downward-API {@code
 * fieldRef} and {@code resourceFieldRef} values filled in (not expanded). References to API objects
 * ({@code envFrom}, ConfigMap and Secret keys) cannot occur in a validated static pod and are
 * refused, as the kubelet cannot resolve them for a static pod. Stateless, thread-safe.
 */
final class EnvResolver {
  private final DownwardApi downwardApi;

  EnvResolver(NodeCapacity node) {
    this.downwardApi = new DownwardApi(node);
  }

  /**
   * @param podIp the sandbox's IP ({@code status.podIP})
   * @param hostIp this node's IP ({@code status.hostIP})
   * @return variables in definition order; a later duplicate replaces the earlier value
   * @throws ContainerSpecRejectedException for references the kubelet cannot resolve here
   */
  Map<String, String> resolve(StaticPod pod, Container container, String podIp, String hostIp) {
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnvFrom() != null && !container.getEnvFrom().isEmpty()) {
      throw rejected(container, "envFrom references API objects, which static pods may not use");
    }
    List<EnvVar> vars = container.getEnv() == null ? List.of() : container.getEnv();
    for (EnvVar var : vars) {
      String value;
      if (var.getValueFrom() != null) {
        value = fromSource(pod, container, var, podIp, hostIp);
      } else {
        value = VarExpansion.expand(var.getValue() == null ? "" : var.getValue(), env);
      }
      env.remove(var.getName()); // keep "last definition wins" but in its new position
      env.put(var.getName(), value);
    }
    return env;
  }

  private String fromSource(
      StaticPod pod, Container container, EnvVar var, String podIp, String hostIp) {
    EnvVarSource source = var.getValueFrom();
    if (source.getFieldRef() != null) {
      return downwardApi.field(
          pod.pod(), container, var.getName(), source.getFieldRef().getFieldPath(), podIp, hostIp);
    }
    if (source.getResourceFieldRef() != null) {
      return downwardApi.resource(
          pod.pod(), container, var.getName(), source.getResourceFieldRef());
    }
    throw rejected(
        container,
        "env " + var.getName() + " references an API object, which static pods may not use");
  }

  static ContainerSpecRejectedException rejected(Container container, String why) {
    return new ContainerSpecRejectedException("container " + container.getName() + ": " + why);
  }
}
