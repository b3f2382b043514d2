package io.staticlet.app.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.staticlet.core.manifest.ManifestError;
import io.staticlet.core.manifest.ManifestWarning;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.reconcile.DesiredPods;
import io.staticlet.core.status.PodStatusRenderer;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodView;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders {@code GET /pods} like the kubelet's read-only API: a {@code v1 PodList} of the static
 * pods with their live status. Problems an operator must see are added as annotations: {@code
 * staticlet.io/manifest-error} (the file is invalid; the last good version keeps running), {@code
 * staticlet.io/manifest-warnings} (unknown fields were dropped) and {@code
 * staticlet.io/mirror-error} (the API server refused the mirror pod).
 *
 * <p>Reads three owners, writes none: the status store (the reconciler's statuses, rendered here
 * with {@link PodStatusRenderer}), the desired pods (the latest manifest listing's errors and
 * warnings) and the mirror loop's errors. Thread-safe; each request renders afresh.
 */
public final class PodListRenderer {
  public static final String MANIFEST_ERROR = "staticlet.io/manifest-error";
  public static final String MIRROR_ERROR = "staticlet.io/mirror-error";

  /**
   * The pod's manifest has fields the Pod schema does not know; they were dropped (DECISIONS.md 5).
   */
  public static final String MANIFEST_WARNINGS = "staticlet.io/manifest-warnings";

  private static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final PodStatusStore store;
  private final DesiredPods desired;
  private final Function<PodKey, String> mirrorErrors;

  /**
   * @param mirrorErrors why the mirror of a pod could not be written, "" when fine or standalone
   */
  public PodListRenderer(
      PodStatusStore store, DesiredPods desired, Function<PodKey, String> mirrorErrors) {
    this.store = store;
    this.desired = desired;
    this.mirrorErrors = mirrorErrors;
  }

  public PodList podList() {
    List<Pod> items =
        store.all().stream()
            .sorted(Comparator.comparing(v -> v.key().toString()))
            .map(this::toPod)
            .toList();
    return new PodListBuilder()
        .withApiVersion("v1")
        .withKind("PodList")
        .withNewMetadata()
        .endMetadata()
        .withItems(items)
        .build();
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
    pod.setStatus(PodStatusRenderer.render(view.status()));
    String warnings =
        desired.warnings().stream()
            .filter(w -> w.pod().equals(view.key()))
            .map(ManifestWarning::describe)
            .collect(Collectors.joining("; "));
    if (!warnings.isEmpty()) {
      pod.getMetadata().getAnnotations().put(MANIFEST_WARNINGS, warnings);
    }
    String manifestError =
        desired.errors().stream()
            .filter(e -> Objects.equals(e.pod(), view.key()))
            .map(ManifestError::describe)
            .findFirst()
            .orElse("");
    if (!manifestError.isEmpty()) {
      pod.getMetadata().getAnnotations().put(MANIFEST_ERROR, manifestError);
    }
    String mirrorError = mirrorErrors.apply(view.key());
    if (mirrorError != null && !mirrorError.isEmpty()) {
      pod.getMetadata().getAnnotations().put(MIRROR_ERROR, mirrorError);
    }
    return pod;
  }
}
