package io.staticlet.core.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.staticlet.core.backoff.RestartBackoff;
import io.staticlet.core.manifest.ManifestSnapshot;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.queue.WorkQueue;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.testing.FakeContainerRuntime;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.TestLaunches;
import io.staticlet.core.testing.TestPods;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Back-offs on monotonic time (DECISIONS.md 24) and per-pod state that goes with its pod. */
class ReconcilerTimeAndMemoryTest {
  private final ManualClock clock = new ManualClock();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
  private final DesiredPods desired = new DesiredPods();
  private final PodStatusStore statusStore = new PodStatusStore();
  private final RestartBackoff<ContainerKey> crashBackoff = RestartBackoff.kubeletDefaults(clock);
  private final StartFailures startFailures =
      new StartFailures(clock, RestartBackoff.kubeletDefaults(clock));
  private final Reconciler reconciler =
      new Reconciler(
          ReconcilerCollaborators.of(desired, runtime, TestLaunches.create(), statusStore, clock)
              .withBackoffs(crashBackoff, startFailures));

  private void want(StaticPod... pods) {
    desired.replace(
        new ManifestSnapshot(
            Arrays.stream(pods).collect(Collectors.toMap(StaticPod::key, p -> p)), List.of()));
  }

  private void crash(StaticPod pod) {
    runtime.exit(runtime.latest(pod.key(), "app").id(), 1);
  }

  @Test
  void aWallClockStepBackDuringACrashLoopKeepsTheRestartSchedule() {
    StaticPod web = TestPods.pod("web").container("app", "busybox:1.36").build();
    want(web);
    reconciler.reconcile(web.key());
    crash(web);
    reconciler.reconcile(web.key()); // first restart at once
    clock.advance(Duration.ofSeconds(3));
    crash(web);
    assertEquals(
        new SyncOutcome.Waiting(Duration.ofSeconds(10), "CrashLoopBackOff"),
        reconciler.reconcile(web.key()));

    clock.set(clock.instant().minus(Duration.ofHours(1))); // NTP steps the clock back an hour
    clock.advance(Duration.ofSeconds(10));
    reconciler.reconcile(web.key());
    assertEquals(
        2, runtime.latest(web.key(), "app").attempt(), "restarted 10 s later, not an hour later");

    crash(web); // the next crash happens on the stepped clock
    SyncOutcome outcome = reconciler.reconcile(web.key());
    assertEquals(new SyncOutcome.Waiting(Duration.ofSeconds(20), "CrashLoopBackOff"), outcome);
    clock.advance(Duration.ofSeconds(20));
    reconciler.reconcile(web.key());
    assertEquals(3, runtime.latest(web.key(), "app").attempt());
  }

  @Test
  void aWallClockStepForwardDoesNotHurryARestart() {
    StaticPod web = TestPods.pod("web").container("app", "busybox:1.36").build();
    want(web);
    reconciler.reconcile(web.key());
    crash(web);
    reconciler.reconcile(web.key());
    crash(web);
    reconciler.reconcile(web.key()); // waiting 10 s
    clock.set(clock.instant().plus(Duration.ofHours(1)));
    SyncOutcome outcome = reconciler.reconcile(web.key());
    assertEquals(1, runtime.latest(web.key(), "app").attempt(), "still backing off: " + outcome);
  }

  @Test
  void delayedQueueKeysAreDueOnMonotonicTime() {
    WorkQueue<String> queue = new WorkQueue<>(clock);
    queue.addAfter("a", Duration.ofSeconds(10));
    clock.set(clock.instant().plus(Duration.ofHours(1)));
    assertTrue(queue.poll().isEmpty(), "a wall-clock step forward does not make it due");
    clock.set(clock.instant().minus(Duration.ofHours(2)));
    clock.advance(Duration.ofSeconds(10));
    assertEquals("a", queue.poll().orElseThrow(), "a step back does not postpone it");
  }

  @Test
  void aStopRetriedAfterItsDeadlineDoesNotRunPreStopAgain() {
    StaticPod web =
        TestPods.pod("web")
            .grace(20)
            .container(
                new ContainerBuilder()
                    .withName("app")
                    .withImage("busybox:1.36")
                    .withNewLifecycle()
                    .withNewPreStop()
                    .withNewExec()
                    .withCommand("sh", "-c", "drain")
                    .endExec()
                    .endPreStop()
                    .endLifecycle()
                    .build())
            .build();
    want(web);
    reconciler.reconcile(web.key());
    String id = runtime.latest(web.key(), "app").id();
    want();
    runtime.failNextStops(1);
    // preStop, then the stop misses its deadline: the pass fails and PodWorkers retries it
    assertThrows(RuntimeException.class, () -> reconciler.reconcile(web.key()));
    reconciler.reconcile(web.key());

    assertEquals(List.of(id + " sh -c drain"), runtime.execs, "preStop ran once");
    assertEquals(List.of(), runtime.all(), "the retry stopped and removed it");
  }

  @Test
  void aManifestEditWhileTheEngineDoesNotAnswerStillShowsAsPending() {
    StaticPod v1 = TestPods.pod("web").uid("aaa").container("app", "busybox:1.36").build();
    want(v1);
    reconciler.reconcile(v1.key());
    StaticPod v2 = TestPods.pod("web").uid("bbb").container("app", "busybox:1.37").build();
    want(v2);
    runtime.failNext(1);

    assertInstanceOf(SyncOutcome.RetryAfter.class, reconciler.reconcile(v2.key()));
    var view = statusStore.get(v2.key()).orElseThrow();
    assertEquals("bbb", view.pod().uid(), "/pods shows the edited manifest");
    assertEquals("Pending", view.status().phase().apiName());
    assertTrue(view.status().message().contains("engine down"), view.status().message());
  }

  @Test
  void crashBackOffAndStartFailuresOfAnIncarnationAreForgottenWhenItGoes() {
    runtime.imageMissing("nothere:1");
    StaticPod v1 =
        TestPods.pod("web")
            .uid("aaa")
            .container("app", "busybox:1.36")
            .container("side", "nothere:1")
            .build();
    want(v1);
    reconciler.reconcile(v1.key());
    crash(v1);
    reconciler.reconcile(v1.key());
    assertTrue(
        crashBackoff.size() > 0 && startFailures.size() > 0, "state exists while the pod runs");

    StaticPod v2 = TestPods.pod("web").uid("bbb").container("app", "busybox:1.36").build();
    want(v2); // an edit: new UID
    reconciler.reconcile(v2.key());
    assertEquals(0, startFailures.size(), "nothing of aaa is remembered");
    crash(v2);
    reconciler.reconcile(v2.key());
    want(); // the manifest is deleted
    reconciler.reconcile(v2.key());
    assertEquals(0, crashBackoff.size());
    assertEquals(0, startFailures.size());
  }
}
