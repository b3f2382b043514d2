package io.staticlet.core.manifest;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Toleration;
import io.staticlet.core.pod.KubeletAnnotations;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The identity the kubelet gives a file-sourced pod (docs/kubelet.md §2.2, DECISIONS.md 1–2),
 * applied <b>after</b> the UID was computed: name {@code <name>-<lowercased node>}, {@code
 * spec.nodeName}, the NoExecute toleration, {@code status.phase Pending}, {@code metadata.uid} and
 * the {@code kubernetes.io/config.hash|source|seen} annotations. The namespace default is a scheme
 * default ({@link SchemeDefaults}) because it is part of the hashed form.
 */
public final class KubeletDefaults {
  /** {@code 2006-01-02T15:04:05.000000000Z}: RFC 3339 in UTC with fixed-width nanoseconds. */
  public static final DateTimeFormatter SEEN_FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private KubeletDefaults() {}

  /** {@code <name>-<lowercased node name>}, the static pod's name on the API server. */
  public static String podName(String manifestName, String nodeName) {
    return manifestName + "-" + nodeName.toLowerCase(Locale.ROOT);
  }

  /**
   * Applies the identity defaults in place. A missing name stays missing (validation reports it).
   */
  public static void apply(Pod pod, String nodeName, String uid, Instant seen) {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(seen, "seen");
    String name = pod.getMetadata().getName();
    if (name != null && !name.isEmpty()) {
      pod.getMetadata().setName(podName(name, nodeName));
    }
    pod.getMetadata().setUid(uid);
    Map<String, String> annotations =
        pod.getMetadata().getAnnotations() == null
            ? new LinkedHashMap<>()
            : new LinkedHashMap<>(pod.getMetadata().getAnnotations());
    annotations.put(KubeletAnnotations.CONFIG_HASH, uid);
    annotations.put(KubeletAnnotations.CONFIG_SOURCE, KubeletAnnotations.SOURCE_FILE);
    annotations.put(KubeletAnnotations.CONFIG_SEEN, SEEN_FORMAT.format(seen));
    pod.getMetadata().setAnnotations(annotations);

    pod.getSpec().setNodeName(nodeName);
    pod.getSpec().setTolerations(withNoExecuteToleration(pod.getSpec().getTolerations()));

    PodStatus status = new PodStatus();
    status.setPhase("Pending");
    pod.setStatus(status); // a manifest's own status means nothing to a static pod
  }

  /**
   * {@code AddOrUpdateTolerationInPod({operator: Exists, effect: NoExecute})}: a toleration
   * matching it (same key, operator, value and effect) is replaced in place, otherwise it is
   * appended.
   */
  static List<Toleration> withNoExecuteToleration(List<Toleration> tolerations) {
    Toleration all = new Toleration("NoExecute", null, "Exists", null, null);
    List<Toleration> result = new ArrayList<>(tolerations == null ? List.of() : tolerations);
    for (int i = 0; i < result.size(); i++) {
      Toleration existing = result.get(i);
      if (existing != null
          && isEmpty(existing.getKey())
          && "Exists".equals(existing.getOperator())
          && isEmpty(existing.getValue())
          && "NoExecute".equals(existing.getEffect())) {
        result.set(i, all);
        return result;
      }
    }
    result.add(all);
    return result;
  }

  private static boolean isEmpty(String value) {
    return value == null || value.isEmpty();
  }
}
