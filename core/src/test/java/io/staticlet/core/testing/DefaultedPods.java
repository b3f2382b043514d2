package io.staticlet.core.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.staticlet.core.pod.KubeletAnnotations;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Builds defaulted static pods by hand, the way the manifest parser will hand them over (suffixed
 * name, namespace, UID, config annotations, nodeName, scheme defaults), without depending on it:
 * for tests of what core and the runtimes do with a pod's spec.
 */
public final class DefaultedPods {
  /**
   * The test image every runtime test may run (built locally by {@code
   * deploy/images/build-images.sh}).
   */
  public static final String BUSYBOX = "staticlet/busybox:1.36";

  public static final String NODE = "node1";

  private DefaultedPods() {}

  public static Builder pod(String name) {
    return new Builder(name);
  }

  /** A busybox container running {@code sh -c script}, with the API server's defaults. */
  public static ContainerBuilder shell(String name, String script) {
    return container(name).withCommand("sh", "-c", script);
  }

  /** A busybox container with the API server's defaults and no command. */
  public static ContainerBuilder container(String name) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(BUSYBOX)
        .withImagePullPolicy("IfNotPresent")
        .withTerminationMessagePath("/dev/termination-log")
        .withTerminationMessagePolicy("File");
  }

  public static EnvVar fieldRef(String name, String path) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath(path)
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  public static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }

  public static final class Builder {
    private final String name;
    private String namespace = "default";
    private String node = NODE;
    private String uid = UUID.randomUUID().toString().replace("-", "");
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final List<Container> containers = new ArrayList<>();
    private final List<Container> initContainers = new ArrayList<>();
    private final List<Volume> volumes = new ArrayList<>();
    private long grace = 30;
    private final List<Consumer<PodSpec>> customizers = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    public Builder namespace(String value) {
      namespace = value;
      return this;
    }

    public Builder node(String value) {
      node = value;
      return this;
    }

    public Builder uid(String value) {
      uid = value;
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder annotation(String key, String value) {
      annotations.put(key, value);
      return this;
    }

    public Builder container(Container c) {
      containers.add(c);
      return this;
    }

    public Builder container(ContainerBuilder c) {
      return container(c.build());
    }

    public Builder initContainer(ContainerBuilder c) {
      initContainers.add(c.build());
      return this;
    }

    public Builder volume(Volume v) {
      volumes.add(v);
      return this;
    }

    public Builder grace(long seconds) {
      grace = seconds;
      return this;
    }

    public Builder spec(Consumer<PodSpec> customizer) {
      customizers.add(customizer);
      return this;
    }

    public StaticPod build() {
      String podName = name + "-" + node;
      Instant seen = Instant.parse("2026-01-01T00:00:00Z");
      Map<String, String> allAnnotations = new LinkedHashMap<>(annotations);
      allAnnotations.put(KubeletAnnotations.CONFIG_HASH, uid);
      allAnnotations.put(KubeletAnnotations.CONFIG_SOURCE, KubeletAnnotations.SOURCE_FILE);
      allAnnotations.put(KubeletAnnotations.CONFIG_SEEN, seen.toString());
      Pod pod =
          new PodBuilder()
              .withNewMetadata()
              .withName(podName)
              .withNamespace(namespace)
              .withUid(uid)
              .withLabels(labels.isEmpty() ? null : labels)
              .withAnnotations(allAnnotations)
              .endMetadata()
              .withNewSpec()
              .withNodeName(node)
              .withRestartPolicy("Always")
              .withTerminationGracePeriodSeconds(grace)
              .withDnsPolicy("ClusterFirst")
              .withContainers(containers)
              .withInitContainers(initContainers)
              .withVolumes(volumes)
              .endSpec()
              .build();
      customizers.forEach(c -> c.accept(pod.getSpec()));
      return new StaticPod(
          new PodKey(namespace, podName),
          uid,
          Path.of("/etc/kubernetes/manifests/" + name + ".yaml"),
          seen,
          pod);
    }
  }
}
