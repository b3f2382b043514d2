package io.staticlet.docker;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's environment as the kubelet builds it ({@code makeEnvironmentVariables}): values in
 * order, each {@code value} expanded against the variables defined before it, downward-API
 * {@code fieldRef} and {@code resourceFieldRef} values filled in (not expanded). References to API
 * objects cannot occur in a validated static pod and are refused.
 */
final class EnvResolver {
  private static final Pattern LABEL_OR_ANNOTATION =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private final NodeCapacity node;

  EnvResolver(NodeCapacity node) {
    this.node = node;
  }

  /**
   * @param podIp the sandbox's IP ({@code status.podIP})
   * @param hostIp this node's IP ({@code status.hostIP})
   * @return variables in definition order; a later duplicate replaces the earlier value
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

  private String fromSource(StaticPod pod, Container container, EnvVar var, String podIp, String hostIp) {
    EnvVarSource source = var.getValueFrom();
    if (source.getFieldRef() != null) {
      return field(pod.pod(), container, var, source.getFieldRef().getFieldPath(), podIp, hostIp);
    }
    if (source.getResourceFieldRef() != null) {
      return resource(pod.pod(), container, var, source.getResourceFieldRef());
    }
    throw rejected(container, "env " + var.getName() + " references an API object, which static pods may not use");
  }

  private String field(Pod pod, Container container, EnvVar var, String path, String podIp, String hostIp) {
    ObjectMeta meta = pod.getMetadata();
    switch (path == null ? "" : path) {
      case "metadata.name":
        return meta.getName();
      case "metadata.namespace":
        return meta.getNamespace();
      case "metadata.uid":
        return meta.getUid();
      case "spec.nodeName":
        return pod.getSpec().getNodeName();
      case "spec.serviceAccountName":
        return nullToEmpty(pod.getSpec().getServiceAccountName());
      case "status.podIP":
      case "status.podIPs":
        return podIp;
      case "status.hostIP":
      case "status.hostIPs":
        return hostIp;
      default:
        Matcher m = LABEL_OR_ANNOTATION.matcher(path == null ? "" : path);
        if (m.matches()) {
          Map<String, String> map = "labels".equals(m.group(1)) ? meta.getLabels() : meta.getAnnotations();
          return map == null ? "" : nullToEmpty(map.get(m.group(2)));
        }
        throw rejected(container, "env " + var.getName() + ": unsupported fieldRef " + path);
    }
  }

  private String resource(Pod pod, Container self, EnvVar var, ResourceFieldSelector ref) {
    Container target = self;
    if (ref.getContainerName() != null && !ref.getContainerName().isEmpty()) {
      target = findContainer(pod, ref.getContainerName());
      if (target == null) {
        throw rejected(self, "env " + var.getName() + ": resourceFieldRef names unknown container " + ref.getContainerName());
      }
    }
    ResourceRequirements res = target.getResources();
    Map<String, Quantity> limits = res == null ? null : res.getLimits();
    Map<String, Quantity> requests = res == null ? null : res.getRequests();
    String resource = ref.getResource() == null ? "" : ref.getResource();
    BigDecimal value;
    switch (resource) {
      case "limits.cpu":
        value = cpuCores(limits, node.cpuMillis());
        break;
      case "requests.cpu":
        value = cpuCores(requests, 0);
        break;
      case "limits.memory":
        value = amount(limits, "memory", node.memoryBytes());
        break;
      case "requests.memory":
        value = amount(requests, "memory", 0);
        break;
      case "limits.ephemeral-storage":
        value = amount(limits, "ephemeral-storage", 0);
        break;
      case "requests.ephemeral-storage":
        value = amount(requests, "ephemeral-storage", 0);
        break;
      default:
        throw rejected(self, "env " + var.getName() + ": unsupported resourceFieldRef " + resource);
    }
    return Long.toString(Quantities.divideCeil(value, ref.getDivisor()));
  }

  private static BigDecimal cpuCores(Map<String, Quantity> resources, long fallbackMillis) {
    long millis = Quantities.milliCpu(resources);
    return BigDecimal.valueOf(millis == 0 ? fallbackMillis : millis, 3);
  }

  private static BigDecimal amount(Map<String, Quantity> resources, String name, long fallback) {
    long value = Quantities.value(resources, name);
    return BigDecimal.valueOf(value == 0 ? fallback : value);
  }

  private static Container findContainer(Pod pod, String name) {
    for (List<Container> list : List.of(pod.getSpec().getContainers(), nullToEmpty(pod.getSpec().getInitContainers()))) {
      for (Container c : list) {
        if (name.equals(c.getName())) {
          return c;
        }
      }
    }
    return null;
  }

  private static ContainerSpecRejectedException rejected(Container container, String why) {
    return new ContainerSpecRejectedException("container " + container.getName() + ": " + why);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
