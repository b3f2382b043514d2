package io.staticlet.app.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodView;
import java.util.Comparator;
import java.util.List;

/**
 * Renders {@code GET /pods} like the kubelet's read-only API: a {@code v1 PodList} of the static
 * pods with their live status. Problems an operator must see are added as annotations:
 * {@code staticlet.io/manifest-error} (the file is invalid; the last good version keeps running),
 * {@code staticlet.io/manifest-warnings} (unknown fields were dropped) and {@code
 * staticlet.io/mirror-error} (the API server refused the mirror pod).
 */
public final class PodListRenderer {
  public static final String MANIFEST_ERROR = "staticlet.io/manifest-error";
  public static final String MIRROR_ERROR = "staticlet.io/mirror-error";
  /** The pod's manifest has fields the Pod schema does not know; they were dropped (DECISIONS.md 5). */
  public static final String MANIFEST_WARNINGS = "staticlet.io/manifest-warnings";
  private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final PodStatusStore store;

  public PodListRenderer(PodStatusStore store) {
    this.store = store;
  }

  public PodList podList() {
    List<Pod> items = store.all().stream()
        .sorted(Comparator.comparing(v -> v.key().toString()))
        .map(this::toPod)
        .toList();
    return new PodListBuilder().withApiVersion("v1").withKind("PodList").withNewMetadata().endMetadata().withItems(items).build();
  }

  public byte[] json() {
    try {
      return JSON.writeValueAsBytes(podList());
    } catch (Exception e) {
      throw new IllegalStateException("cannot render /pods", e);
    }
  }

  private Pod toPod(PodView view) {
    Pod pod = view.pod().copyOfPod();
    pod.setStatus(view.status());
    String warnings = store.manifestWarning(view.key());
    if (!warnings.isEmpty()) {
      pod.getMetadata().getAnnotations().put(MANIFEST_WARNINGS, warnings);
    }
    if (!view.manifestError().isEmpty()) {
      pod.getMetadata().getAnnotations().put(MANIFEST_ERROR, view.manifestError());
    }
    if (!view.mirrorError().isEmpty()) {
      pod.getMetadata().getAnnotations().put(MIRROR_ERROR, view.mirrorError());
    }
    return pod;
  }
}
