package io.staticlet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.events.PodEvent;
import io.staticlet.core.manifest.ManifestError;
import io.staticlet.core.manifest.ManifestSnapshot;
import io.staticlet.core.manifest.ManifestWarning;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.TestPods;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestEventsTest {
  private final List<PodEvent> recorded = new ArrayList<>();
  private final ManifestEvents manifestEvents =
      new ManifestEvents(new KubeletEvents(recorded::add, new ManualClock()));
  private final StaticPod web = TestPods.pod("web").container("app", "busybox:1.36").build();
  private final Path file = Path.of("/etc/kubernetes/manifests/web.yaml");

  private List<String> lines() {
    return recorded.stream()
        .map(e -> e.type().apiValue() + " " + e.reason() + " " + e.pod() + ": " + e.message())
        .toList();
  }

  @Test
  void aRunningPodWhoseFileBrokeGetsOneWarningUntilTheErrorChanges() {
    ManifestSnapshot broken =
        new ManifestSnapshot(
            Map.of(web.key(), web),
            List.of(
                new ManifestError(file, "line 3: mapping values are not allowed here", web.key())));

    manifestEvents.onSnapshot(broken);
    manifestEvents.onSnapshot(broken); // the next re-list finds the same error

    assertEquals(
        List.of(
            "Warning InvalidManifest "
                + web.key()
                + ": "
                + file
                + ": line 3: mapping values are not allowed here (still running the last good version)"),
        lines());
    assertEquals(web.uid(), recorded.get(0).podUid());

    manifestEvents.onSnapshot(new ManifestSnapshot(Map.of(web.key(), web), List.of()));
    manifestEvents.onSnapshot(broken);
    assertEquals(2, recorded.size(), "fixed, then broken again: a new warning");
  }

  @Test
  void aSecondFileDefiningThePodWarnsOnTheRunningPod() {
    Path other = Path.of("/etc/kubernetes/manifests/web-copy.yaml");
    manifestEvents.onSnapshot(
        new ManifestSnapshot(
            Map.of(web.key(), web),
            List.of(
                new ManifestError(
                    other,
                    "duplicate pod " + web.key() + ": already defined by " + file,
                    null,
                    web.key()))));

    assertEquals(
        List.of(
            "Warning DuplicateManifest "
                + web.key()
                + ": "
                + other
                + " also defines this pod and was ignored: "
                + "duplicate pod "
                + web.key()
                + ": already defined by "
                + file),
        lines());
  }

  @Test
  void unknownFieldsGiveOneWarningPerFileVersion() {
    ManifestSnapshot withUnknown =
        new ManifestSnapshot(
            Map.of(web.key(), web),
            List.of(),
            List.of(
                new ManifestWarning(
                    file, web.key(), List.of("spec.containers[0].imagee", "spec.futureField"))));

    manifestEvents.onSnapshot(withUnknown);
    manifestEvents.onSnapshot(withUnknown); // the next re-list: same file version

    assertEquals(
        List.of(
            "Warning UnknownManifestFields "
                + web.key()
                + ": "
                + file
                + ": unknown fields ignored: spec.containers[0].imagee, spec.futureField"
                + " (the Pod schema does not know them; the pod runs without them)"),
        lines());
    assertEquals(web.uid(), recorded.get(0).podUid());
  }

  @Test
  void anErrorWithoutARunningPodRecordsNothing() {
    manifestEvents.onSnapshot(
        new ManifestSnapshot(
            Map.of(),
            List.of(
                new ManifestError(
                    Path.of("/etc/kubernetes/manifests/new.yaml"), "kind: expected Pod", null))));

    assertEquals(List.of(), recorded);
  }
}
