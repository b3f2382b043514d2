package io.staticlet.core.manifest;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes v1 scheme defaults the kubelet's decoder applies to a static pod (docs/kubelet.md
 * §2.3, {@code pkg/apis/core/v1/defaults.go}). They run <b>before</b> the UID is computed, so
 * writing a field with its default value does not change the UID (DECISIONS.md 3).
 *
 * <p>As in Go, an empty string or a zero in a non-pointer API field counts as "not set":
 *
 * <ul>
 *   <li>pod: {@code restartPolicy Always}, {@code dnsPolicy ClusterFirst}, {@code
 *       terminationGracePeriodSeconds 30}, {@code securityContext {}}, {@code schedulerName
 *       default-scheduler}, {@code enableServiceLinks true}, {@code metadata.namespace default};
 *   <li>every init and app container: {@code terminationMessagePath /dev/termination-log}, {@code
 *       terminationMessagePolicy File}, {@code imagePullPolicy} {@code Always} when the tag is
 *       {@code latest} or absent (digest only: {@code IfNotPresent}) else {@code IfNotPresent};
 *       ports {@code protocol TCP} and, with {@code hostNetwork}, {@code hostPort = containerPort};
 *       liveness/readiness/startup probes {@code timeoutSeconds 1}, {@code periodSeconds 10},
 *       {@code successThreshold 1}, {@code failureThreshold 3}; resource requests default to the
 *       limit for every resource that has a limit but no request;
 *   <li>{@code httpGet} (probes and lifecycle hooks): {@code path /}, {@code scheme HTTP}; {@code
 *       fieldRef.apiVersion v1} (env and downward API); a volume without any source becomes {@code
 *       emptyDir {}}; {@code hostPath.type ""}; downward API and projected volumes {@code
 *       defaultMode 420} (0644).
 * </ul>
 *
 * <p>Changing this list changes UIDs, which restarts every static pod on upgrade: treat it as
 * frozen.
 */
public final class SchemeDefaults {
  static final int DEFAULT_MODE = 0644;

  private SchemeDefaults() {}

  /** Applies the defaults in place; the pod must be one this code owns (freshly decoded). */
  public static void apply(Pod pod) {
    if (pod.getMetadata() == null) {
      pod.setMetadata(new ObjectMeta());
    }
    if (isEmpty(pod.getMetadata().getNamespace())) {
      pod.getMetadata().setNamespace("default");
    }
    if (pod.getSpec() == null) {
      pod.setSpec(new PodSpec());
    }
    PodSpec spec = pod.getSpec();
    if (isEmpty(spec.getRestartPolicy())) {
      spec.setRestartPolicy("Always");
    }
    if (isEmpty(spec.getDnsPolicy())) {
      spec.setDnsPolicy("ClusterFirst");
    }
    if (spec.getTerminationGracePeriodSeconds() == null) {
      spec.setTerminationGracePeriodSeconds(30L);
    }
    if (spec.getSecurityContext() == null) {
      spec.setSecurityContext(new PodSecurityContext());
    }
    if (isEmpty(spec.getSchedulerName())) {
      spec.setSchedulerName("default-scheduler");
    }
    if (spec.getEnableServiceLinks() == null) {
      spec.setEnableServiceLinks(true);
    }
    boolean hostNetwork = Boolean.TRUE.equals(spec.getHostNetwork());
    for (Container container : containers(spec.getInitContainers())) {
      container(container, hostNetwork);
    }
    for (Container container : containers(spec.getContainers())) {
      container(container, hostNetwork);
    }
    if (spec.getVolumes() != null) {
      for (Volume volume : spec.getVolumes()) {
        volume(volume);
      }
    }
  }

  /**
   * {@code Always} for {@code :latest} or no tag, else {@code IfNotPresent} (a digest alone counts
   * as a tag).
   */
  public static String defaultPullPolicy(String image) {
    return "latest".equals(imageTag(image)) ? "Always" : "IfNotPresent";
  }

  /**
   * The tag as docker's reference parser sees it: {@code latest} when there is neither tag nor
   * digest, empty when there is only a digest, {@code ""} for an empty image.
   */
  static String imageTag(String image) {
    if (isEmpty(image)) {
      return "";
    }
    String name = image;
    boolean digest = false;
    int at = name.indexOf('@');
    if (at >= 0) {
      name = name.substring(0, at);
      digest = true;
    }
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    if (colon > slash) {
      return name.substring(colon + 1);
    }
    return digest ? "" : "latest";
  }

  private static void container(Container container, boolean hostNetwork) {
    if (isEmpty(container.getTerminationMessagePath())) {
      container.setTerminationMessagePath("/dev/termination-log");
    }
    if (isEmpty(container.getTerminationMessagePolicy())) {
      container.setTerminationMessagePolicy("File");
    }
    if (isEmpty(container.getImagePullPolicy())) {
      container.setImagePullPolicy(defaultPullPolicy(container.getImage()));
    }
    if (container.getPorts() != null) {
      for (ContainerPort port : container.getPorts()) {
        if (isEmpty(port.getProtocol())) {
          port.setProtocol("TCP");
        }
        if (hostNetwork && isZero(port.getHostPort())) {
          port.setHostPort(port.getContainerPort());
        }
      }
    }
    probe(container.getLivenessProbe());
    probe(container.getReadinessProbe());
    probe(container.getStartupProbe());
    lifecycle(container.getLifecycle());
    requestsFromLimits(container.getResources());
    if (container.getEnv() != null) {
      for (EnvVar env : container.getEnv()) {
        if (env.getValueFrom() != null) {
          fieldRef(env.getValueFrom().getFieldRef());
        }
      }
    }
  }

  private static void probe(Probe probe) {
    if (probe == null) {
      return;
    }
    if (isZero(probe.getTimeoutSeconds())) {
      probe.setTimeoutSeconds(1);
    }
    if (isZero(probe.getPeriodSeconds())) {
      probe.setPeriodSeconds(10);
    }
    if (isZero(probe.getSuccessThreshold())) {
      probe.setSuccessThreshold(1);
    }
    if (isZero(probe.getFailureThreshold())) {
      probe.setFailureThreshold(3);
    }
    httpGet(probe.getHttpGet());
  }

  private static void lifecycle(Lifecycle lifecycle) {
    if (lifecycle == null) {
      return;
    }
    for (LifecycleHandler handler :
        new LifecycleHandler[] {lifecycle.getPostStart(), lifecycle.getPreStop()}) {
      if (handler != null) {
        httpGet(handler.getHttpGet());
      }
    }
  }

  private static void httpGet(HTTPGetAction action) {
    if (action == null) {
      return;
    }
    if (isEmpty(action.getPath())) {
      action.setPath("/");
    }
    if (isEmpty(action.getScheme())) {
      action.setScheme("HTTP");
    }
  }

  private static void requestsFromLimits(ResourceRequirements resources) {
    if (resources == null || resources.getLimits() == null || resources.getLimits().isEmpty()) {
      return;
    }
    Map<String, Quantity> requests =
        resources.getRequests() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(resources.getRequests());
    resources
        .getLimits()
        .forEach(
            (name, limit) -> {
              if (!requests.containsKey(name) && limit != null) {
                requests.put(name, new Quantity(limit.getAmount(), limit.getFormat()));
              }
            });
    resources.setRequests(requests);
  }

  private static void volume(Volume volume) {
    if (VolumeSources.count(volume) == 0) {
      volume.setEmptyDir(new EmptyDirVolumeSource());
    }
    if (volume.getHostPath() != null && volume.getHostPath().getType() == null) {
      volume.getHostPath().setType("");
    }
    if (volume.getDownwardAPI() != null) {
      if (volume.getDownwardAPI().getDefaultMode() == null) {
        volume.getDownwardAPI().setDefaultMode(DEFAULT_MODE);
      }
      downwardItems(volume.getDownwardAPI().getItems());
    }
    if (volume.getProjected() != null) {
      if (volume.getProjected().getDefaultMode() == null) {
        volume.getProjected().setDefaultMode(DEFAULT_MODE);
      }
      if (volume.getProjected().getSources() != null) {
        for (VolumeProjection source : volume.getProjected().getSources()) {
          if (source != null && source.getDownwardAPI() != null) {
            downwardItems(source.getDownwardAPI().getItems());
          }
        }
      }
    }
  }

  private static void downwardItems(List<DownwardAPIVolumeFile> items) {
    if (items != null) {
      for (DownwardAPIVolumeFile item : items) {
        fieldRef(item.getFieldRef());
      }
    }
  }

  private static void fieldRef(ObjectFieldSelector selector) {
    if (selector != null && isEmpty(selector.getApiVersion())) {
      selector.setApiVersion("v1");
    }
  }

  private static List<Container> containers(List<Container> containers) {
    return containers == null ? List.of() : containers;
  }

  static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }

  private static boolean isZero(Integer value) {
    return value == null || value == 0;
  }
}
