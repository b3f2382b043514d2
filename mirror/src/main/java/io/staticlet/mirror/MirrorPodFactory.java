package io.staticlet.mirror;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.staticlet.core.mirror.MirrorPod;
import io.staticlet.core.mirror.MirrorStatusSummary;
import io.staticlet.core.pod.KubeletAnnotations;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Converts between core's static pods / mirror records and fabric8 {@link Pod} objects. */
final class MirrorPodFactory {
  private MirrorPodFactory() {}

  /**
   * The body of {@code POST /api/v1/namespaces/<ns>/pods} for a static pod (kubelet {@code
   * CreateMirrorPod}): its name, namespace, labels, annotations (with {@code
   * kubernetes.io/config.mirror} = config hash) and spec, owned by the Node (controller, no
   * blockOwnerDeletion: NodeRestriction forbids it). No UID, resourceVersion or status.
   */
  static Pod mirrorOf(StaticPod staticPod, String nodeName, String nodeUid) {
    Pod source = staticPod.copyOfPod();
    Map<String, String> annotations =
        new LinkedHashMap<>(
            Optional.ofNullable(source.getMetadata().getAnnotations()).orElse(Map.of()));
    annotations.put(KubeletAnnotations.CONFIG_MIRROR, staticPod.configHash());
    OwnerReference owner =
        new OwnerReferenceBuilder()
            .withApiVersion("v1")
            .withKind("Node")
            .withName(nodeName)
            .withUid(nodeUid)
            .withController(true)
            .build();
    return new PodBuilder()
        .withNewMetadata()
        .withName(staticPod.key().name())
        .withNamespace(staticPod.key().namespace())
        .withLabels(source.getMetadata().getLabels())
        .withAnnotations(annotations)
        .withOwnerReferences(owner)
        .endMetadata()
        .withSpec(source.getSpec())
        .build();
  }

  /** A pod that is one of this node's mirrors: carries the mirror annotation and is bound to us. */
  static boolean isMirrorOf(Pod pod, String nodeName) {
    return pod != null
        && pod.getMetadata() != null
        && pod.getMetadata().getAnnotations() != null
        && pod.getMetadata().getAnnotations().containsKey(KubeletAnnotations.CONFIG_MIRROR)
        && pod.getSpec() != null
        && nodeName.equals(pod.getSpec().getNodeName());
  }

  static boolean isMirror(Pod pod) {
    return pod.getMetadata().getAnnotations() != null
        && pod.getMetadata().getAnnotations().containsKey(KubeletAnnotations.CONFIG_MIRROR);
  }

  static PodKey keyOf(Pod pod) {
    return new PodKey(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
  }

  /**
   * The record the mirror loop reads: values copied out of the cache's object, which is never
   * shared.
   */
  static MirrorPod toRecord(Pod pod) {
    ObjectMeta meta = pod.getMetadata();
    String ownerUid =
        Optional.ofNullable(meta.getOwnerReferences()).orElse(List.of()).stream()
            .filter(o -> "Node".equals(o.getKind()))
            .map(OwnerReference::getUid)
            .findFirst()
            .orElse("");
    Map<String, String> images = new LinkedHashMap<>();
    if (pod.getSpec() != null) {
      addImages(images, pod.getSpec().getInitContainers());
      addImages(images, pod.getSpec().getContainers());
    }
    return new MirrorPod(
        keyOf(pod),
        meta.getUid(),
        meta.getResourceVersion(),
        Optional.ofNullable(meta.getAnnotations())
            .map(a -> a.get(KubeletAnnotations.CONFIG_MIRROR))
            .orElse(""),
        meta.getDeletionTimestamp() != null,
        ownerUid,
        images,
        summary(pod.getStatus()));
  }

  /**
   * What {@link MirrorStatusSummary} compares of a status the server stores (ours or another
   * writer's); absent fields count as empty, so a status we rendered summarises like the value it
   * came from.
   */
  static MirrorStatusSummary summary(PodStatus status) {
    if (status == null) {
      return MirrorStatusSummary.NONE;
    }
    Map<String, String> conditions = new TreeMap<>();
    if (status.getConditions() != null) {
      for (PodCondition c : status.getConditions()) {
        conditions.put(nz(c.getType()), nz(c.getStatus()));
      }
    }
    return new MirrorStatusSummary(
        status.getPhase(),
        status.getHostIP(),
        status.getPodIP(),
        conditions,
        containers(status.getInitContainerStatuses()),
        containers(status.getContainerStatuses()));
  }

  private static Map<String, MirrorStatusSummary.ContainerSummary> containers(
      List<ContainerStatus> statuses) {
    Map<String, MirrorStatusSummary.ContainerSummary> out = new TreeMap<>();
    if (statuses != null) {
      for (ContainerStatus c : statuses) {
        out.put(
            nz(c.getName()),
            new MirrorStatusSummary.ContainerSummary(
                c.getContainerID(),
                c.getRestartCount() == null ? 0 : c.getRestartCount(),
                Boolean.TRUE.equals(c.getReady()),
                stateKind(c.getState())));
      }
    }
    return out;
  }

  private static String stateKind(ContainerState state) {
    if (state == null) {
      return "";
    }
    if (state.getRunning() != null) {
      return "running";
    }
    if (state.getTerminated() != null) {
      return "terminated:" + nz(state.getTerminated().getReason());
    }
    if (state.getWaiting() != null) {
      return "waiting:" + nz(state.getWaiting().getReason());
    }
    return "";
  }

  private static String nz(String s) {
    return Objects.requireNonNullElse(s, "");
  }

  private static void addImages(Map<String, String> images, List<Container> containers) {
    if (containers != null) {
      containers.forEach(c -> images.put(c.getName(), c.getImage() == null ? "" : c.getImage()));
    }
  }
}
