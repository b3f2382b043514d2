package io.staticlet.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.staticlet.core.manifest.ManifestError;
import io.staticlet.core.manifest.ManifestSnapshot;
import io.staticlet.core.manifest.ManifestWarning;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.reconcile.DesiredPods;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.status.PodStatusValue;
import io.staticlet.core.testing.TestPods;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /pods} joins three owners (statuses, the manifest listing, the mirror loop) and writes
 * none.
 */
class PodListRendererTest {
  private final PodStatusStore store = new PodStatusStore();
  private final DesiredPods desired = new DesiredPods();
  private final Map<PodKey, String> mirrorErrors = new HashMap<>();
  private final PodListRenderer renderer =
      new PodListRenderer(store, desired, key -> mirrorErrors.getOrDefault(key, ""));
  private final StaticPod web = TestPods.pod("web").container("nginx", "nginx:1.25").build();
  private final StaticPod db = TestPods.pod("db").container("postgres", "postgres:16").build();

  private Pod only(String name) {
    return renderer.podList().getItems().stream()
        .filter(p -> p.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void showsTheRenderedStatusOfEveryPodInTheStoreSortedByKey() {
    store.update(
        web, PodStatusValue.pending("the container engine does not answer: EOF", "BestEffort"));
    store.update(db, PodStatusValue.pending("x", "BestEffort"));

    List<Pod> items = renderer.podList().getItems();

    assertEquals(
        List.of("db-node1", "web-node1"),
        items.stream().map(p -> p.getMetadata().getName()).toList());
    assertEquals("Pending", items.get(1).getStatus().getPhase());
    assertEquals(
        "the container engine does not answer: EOF", items.get(1).getStatus().getMessage());
  }

  @Test
  void annotatesProblemsFromTheirOwners() {
    store.update(web, PodStatusValue.pending("", "BestEffort"));
    store.update(db, PodStatusValue.pending("", "BestEffort"));
    Path file = Path.of("/etc/kubernetes/manifests/web.yaml");
    desired.replace(
        new ManifestSnapshot(
            Map.of(web.key(), web, db.key(), db),
            List.of(new ManifestError(file, "invalid YAML", web.key())),
            List.of(
                new ManifestWarning(file, web.key(), List.of("spec.foo")),
                new ManifestWarning(file, web.key(), List.of("spec.bar")))));
    mirrorErrors.put(web.key(), "namespaces \"default\" not found");

    Map<String, String> annotations = only("web-node1").getMetadata().getAnnotations();

    assertEquals(
        new ManifestError(file, "invalid YAML", web.key()).describe(),
        annotations.get(PodListRenderer.MANIFEST_ERROR));
    assertEquals(
        file + ": unknown fields ignored: spec.foo; " + file + ": unknown fields ignored: spec.bar",
        annotations.get(PodListRenderer.MANIFEST_WARNINGS));
    assertEquals("namespaces \"default\" not found", annotations.get(PodListRenderer.MIRROR_ERROR));
    Map<String, String> other = only("db-node1").getMetadata().getAnnotations();
    assertFalse(other.containsKey(PodListRenderer.MANIFEST_ERROR));
    assertFalse(other.containsKey(PodListRenderer.MANIFEST_WARNINGS));
    assertFalse(other.containsKey(PodListRenderer.MIRROR_ERROR));
  }

  @Test
  void renderingDoesNotChangeTheStoredPod() {
    store.update(web, PodStatusValue.pending("", "BestEffort"));
    mirrorErrors.put(web.key(), "refused");

    renderer.podList();

    assertFalse(web.pod().getMetadata().getAnnotations().containsKey(PodListRenderer.MIRROR_ERROR));
    assertNull(web.pod().getStatus(), "the status is set on a copy");
  }
}
