package io.staticlet.core.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.staticlet.core.pod.KubeletAnnotations;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds defaulted static pods for tests without going through the manifest parser. */
public final class TestPods {
  private final String name;
  private String namespace = "default";
  private String node = "node1";
  private String uid;
  private String restartPolicy = "Always";
  private long grace = 30;
  private final List<Container> containers = new ArrayList<>();
  private final List<Container> initContainers = new ArrayList<>();

  private TestPods(String name) {
    this.name = name;
  }

  public static TestPods pod(String name) {
    return new TestPods(name);
  }

  public TestPods uid(String uid) {
    this.uid = uid;
    return this;
  }

  public TestPods restartPolicy(String policy) {
    this.restartPolicy = policy;
    return this;
  }

  public TestPods grace(long seconds) {
    this.grace = seconds;
    return this;
  }

  public TestPods container(String containerName, String image) {
    containers.add(
        new ContainerBuilder()
            .withName(containerName)
            .withImage(image)
            .withImagePullPolicy("IfNotPresent")
            .build());
    return this;
  }

  public TestPods container(Container container) {
    containers.add(container);
    return this;
  }

  public TestPods initContainer(String containerName, String image) {
    initContainers.add(
        new ContainerBuilder()
            .withName(containerName)
            .withImage(image)
            .withImagePullPolicy("IfNotPresent")
            .build());
    return this;
  }

  public StaticPod build() {
    String podName = name + "-" + node;
    String theUid =
        uid != null ? uid : Integer.toHexString((name + containers + restartPolicy).hashCode());
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(podName)
            .withNamespace(namespace)
            .withUid(theUid)
            .addToAnnotations(KubeletAnnotations.CONFIG_HASH, theUid)
            .addToAnnotations(KubeletAnnotations.CONFIG_SOURCE, KubeletAnnotations.SOURCE_FILE)
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .withRestartPolicy(restartPolicy)
            .withTerminationGracePeriodSeconds(grace)
            .withContainers(containers)
            .withInitContainers(initContainers)
            .endSpec()
            .build();
    return new StaticPod(
        new PodKey(namespace, podName),
        theUid,
        Path.of("/etc/kubernetes/manifests/" + name + ".yaml"),
        Instant.parse("2026-01-01T00:00:00Z"),
        pod);
  }
}
