package io.staticlet.core.container;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The downward API of environment variables as the kubelet resolves it: {@code fieldRef} (pod
 * identity, node, service account, IPs, one label or annotation) and {@code resourceFieldRef} (a
 * container's limits and requests divided by the divisor, rounded up; an unset limit is the node's
 * capacity, as the kubelet substitutes node allocatable). Stateless, thread-safe.
 */
final class DownwardApi {
  private static final Pattern LABEL_OR_ANNOTATION =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private final NodeCapacity node;

  DownwardApi(NodeCapacity node) {
    this.node = node;
  }

  /**
   * @param podIp the sandbox's IP ({@code status.podIP})
   * @param hostIp this node's IP ({@code status.hostIP})
   * @throws ContainerSpecRejectedException for a field path the kubelet does not support
   */
  String field(
      Pod pod, Container container, String variable, String path, String podIp, String hostIp) {
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
          Map<String, String> map =
              "labels".equals(m.group(1)) ? meta.getLabels() : meta.getAnnotations();
          return map == null ? "" : nullToEmpty(map.get(m.group(2)));
        }
        throw EnvResolver.rejected(container, "env " + variable + ": unsupported fieldRef " + path);
    }
  }

  /**
   * @throws ContainerSpecRejectedException for an unknown container or resource
   */
  String resource(Pod pod, Container self, String variable, ResourceFieldSelector ref) {
    Container target = self;
    if (ref.getContainerName() != null && !ref.getContainerName().isEmpty()) {
      target = findContainer(pod, ref.getContainerName());
      if (target == null) {
        throw EnvResolver.rejected(
            self,
            "env "
                + variable
                + ": resourceFieldRef names unknown container "
                + ref.getContainerName());
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
        throw EnvResolver.rejected(
            self, "env " + variable + ": unsupported resourceFieldRef " + resource);
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
    for (List<Container> list :
        List.of(pod.getSpec().getContainers(), nullToEmpty(pod.getSpec().getInitContainers()))) {
      for (Container c : list) {
        if (name.equals(c.getName())) {
          return c;
        }
      }
    }
    return null;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static <T> List<T> nullToEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
