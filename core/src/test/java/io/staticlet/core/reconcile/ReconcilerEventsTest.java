package io.staticlet.core.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.events.EventType;
import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.events.PodEvent;
import io.staticlet.core.manifest.ManifestSnapshot;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.testing.FakeContainerRuntime;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.TestLaunches;
import io.staticlet.core.testing.TestPods;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The kubelet's pod events, as {@code kubectl describe pod} would list them. */
class ReconcilerEventsTest {
  private final ManualClock clock = new ManualClock();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
  private final DesiredPods desired = new DesiredPods();
  private final List<PodEvent> recorded = new CopyOnWriteArrayList<>();
  private final KubeletEvents events = new KubeletEvents(recorded::add, clock);
  private final Reconciler reconciler =
      new Reconciler(
          ReconcilerCollaborators.of(
                  desired, runtime, TestLaunches.create(), new PodStatusStore(), clock)
              .withEvents(events));

  private void want(StaticPod... pods) {
    desired.replace(
        new ManifestSnapshot(
            java.util.Arrays.stream(pods)
                .collect(java.util.stream.Collectors.toMap(StaticPod::key, p -> p)),
            List.of()));
  }

  private List<String> lines() {
    return recorded.stream()
        .map(e -> e.type().apiValue() + " " + e.reason() + " " + e.fieldPath() + ": " + e.message())
        .toList();
  }

  @Test
  void startingAPodRecordsCreatedAndStartedPerContainerWithItsFieldPath() {
    StaticPod web =
        TestPods.pod("web")
            .initContainer("setup", "busybox:1.36")
            .container("app", "busybox:1.36")
            .build();
    want(web);

    reconciler.reconcile(web.key());
    runtime.exit(runtime.latest(web.key(), "setup").id(), 0);
    reconciler.reconcile(web.key());

    assertEquals(
        List.of(
            "Normal Created spec.initContainers{setup}: Created container setup",
            "Normal Started spec.initContainers{setup}: Started container setup",
            "Normal Created spec.containers{app}: Created container app",
            "Normal Started spec.containers{app}: Started container app"),
        lines());
    assertTrue(
        recorded.stream().allMatch(e -> e.pod().equals(web.key()) && e.podUid().equals(web.uid())));
  }

  @Test
  void aCrashLoopRecordsBackOffWhileWaiting() {
    StaticPod web = TestPods.pod("web").container("app", "busybox:1.36").build();
    want(web);
    reconciler.reconcile(web.key());
    runtime.exit(runtime.latest(web.key(), "app").id(), 1);
    reconciler.reconcile(web.key()); // first restart at once
    runtime.exit(runtime.latest(web.key(), "app").id(), 1);
    recorded.clear();

    reconciler.reconcile(web.key());

    assertEquals(
        List.of("Warning BackOff spec.containers{app}: Back-off restarting failed container"),
        lines());
  }

  @Test
  void aMissingImageRecordsFailedAndAReplacedPodRecordsKilling() {
    runtime.imageMissing("nothere:1");
    StaticPod broken = TestPods.pod("broken").container("app", "nothere:1").build();
    want(broken);

    reconciler.reconcile(broken.key());
    assertEquals(EventType.WARNING, recorded.get(recorded.size() - 1).type());
    assertEquals("Failed", recorded.get(recorded.size() - 1).reason());
    assertTrue(
        recorded.get(recorded.size() - 1).message().startsWith("Failed to pull image: "),
        lines().toString());

    StaticPod web = TestPods.pod("web").container("app", "busybox:1.36").build();
    want(web);
    reconciler.reconcile(web.key());
    recorded.clear();
    want(TestPods.pod("web").uid("edited-uid").container("app", "busybox:1.36").build());
    reconciler.reconcile(web.key());

    assertEquals("Normal Killing spec.containers{app}: Stopping container app", lines().get(0));
    assertEquals(web.uid(), recorded.get(0).podUid(), "the old incarnation is the one stopped");
  }

  @Test
  void aRejectedSandboxRecordsFailedCreatePodSandBox() {
    runtime.rejectSandboxes("port 8080 already allocated");
    StaticPod web = TestPods.pod("web").container("app", "busybox:1.36").build();
    want(web);

    reconciler.reconcile(web.key());

    assertEquals(
        List.of(
            "Warning FailedCreatePodSandBox : Failed to create pod sandbox: port 8080 already allocated"),
        lines());
  }
}
