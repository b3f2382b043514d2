package io.staticlet.core.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The pod's QoS class from its containers' requests and limits (Kubernetes {@code GetPodQOS}). */
public final class QosClass {
  private QosClass() {}

  public static String of(PodSpec spec) {
    List<Container> all = new ArrayList<>(spec.getContainers());
    if (spec.getInitContainers() != null) {
      all.addAll(spec.getInitContainers());
    }
    boolean any = false;
    boolean guaranteed = true;
    for (Container c : all) {
      ResourceRequirements r = c.getResources();
      Map<String, Quantity> requests =
          r == null || r.getRequests() == null ? Map.of() : r.getRequests();
      Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
      if (!requests.isEmpty() || !limits.isEmpty()) {
        any = true;
      }
      for (String resource : List.of("cpu", "memory")) {
        Quantity limit = limits.get(resource);
        Quantity request = requests.getOrDefault(resource, limit);
        if (limit == null
            || request == null
            || request.getNumericalAmount().compareTo(limit.getNumericalAmount()) != 0) {
          guaranteed = false;
        }
      }
    }
    if (!any) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }
}
