package io.staticlet.core.reconcile;

import static io.staticlet.core.runtime.ContainerRole.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.staticlet.core.backoff.RestartBackoff;
import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.events.PodEvent;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.reconcile.PodActions.Intent;
import io.staticlet.core.reconcile.RuntimeAction.CreateSandbox;
import io.staticlet.core.reconcile.RuntimeAction.KillPod;
import io.staticlet.core.reconcile.RuntimeAction.ReportBackOff;
import io.staticlet.core.reconcile.RuntimeAction.StartContainer;
import io.staticlet.core.reconcile.RuntimeAction.StopContainers;
import io.staticlet.core.reconcile.RuntimeAction.StopContainers.Why;
import io.staticlet.core.reconcile.RuntimeAction.WaitBackoff;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.ContainerWaiting;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.testing.FakeContainerRuntime;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.TestLaunches;
import io.staticlet.core.testing.TestPods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Plans written by hand, performed against the fake engine: what it calls and what it reports. */
class PlanExecutorTest {
  private final ManualClock clock = new ManualClock();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
  private final RestartBackoff<ContainerKey> crashBackoff = RestartBackoff.kubeletDefaults(clock);
  private final StartFailures startFailures =
      new StartFailures(clock, RestartBackoff.kubeletDefaults(clock));
  private final List<PodEvent> events = new CopyOnWriteArrayList<>();
  private final PlanExecutor executor =
      new PlanExecutor(
          ReconcilerCollaborators.of(
                  new DesiredPods(), runtime, TestLaunches.create(), new PodStatusStore(), clock)
              .withBackoffs(crashBackoff, startFailures)
              .withEvents(new KubeletEvents(events::add, clock)));
  private final StaticPod web =
      TestPods.pod("web")
          .uid("u1")
          .container("app", "busybox:1.36")
          .container("side", "busybox:1.36")
          .build();

  private PassReport run(Optional<RuntimeContainer> sandbox, RuntimeAction... actions) {
    return executor.execute(web.key(), web, new PodActions(Intent.RUN, sandbox, List.of(actions)));
  }

  @Test
  void containersJoinTheSandboxThePlanCreated() {
    PassReport report =
        run(Optional.empty(), new CreateSandbox(0), new StartContainer("app", APP, 0));

    RuntimeContainer sandbox = runtime.latest(web.key(), "POD");
    assertEquals(sandbox.id(), runtime.latest(web.key(), "app").sandboxId());
    assertTrue(runtime.latest(web.key(), "app").isRunning());
    assertEquals(new PassReport(true, Map.of(), Optional.empty()), report);
  }

  @Test
  void aRefusedSandboxEndsThePlanAndEveryContainerShowsWhy() {
    runtime.rejectSandboxes("port 8080 already allocated");

    PassReport report =
        run(Optional.empty(), new CreateSandbox(0), new StartContainer("app", APP, 0));

    assertEquals(List.of("startSandbox default/web-node1 0"), runtime.calls);
    ContainerWaiting why =
        new ContainerWaiting(
            "ContainerCreating", "failed to create pod sandbox: port 8080 already allocated");
    assertEquals(
        new PassReport(
            false,
            Map.of("app", why, "side", why),
            Optional.of(new PassReport.Retry(Duration.ofSeconds(10), "FailedCreatePodSandBox"))),
        report);
  }

  @Test
  void aFailedPullIsRecordedAndTheNextContainerStillStarts() {
    run(Optional.empty(), new CreateSandbox(0));
    RuntimeContainer sandbox = runtime.latest(web.key(), "POD");
    runtime.imageMissing("busybox:1.36");

    PassReport report = run(Optional.of(sandbox), new StartContainer("app", APP, 0));
    runtime.imagePresent("busybox:1.36");
    PassReport next = run(Optional.of(sandbox), new StartContainer("side", APP, 0));

    assertEquals("ErrImagePull", report.waiting().get("app").reason());
    assertEquals(
        Optional.of(new PassReport.Retry(Duration.ofSeconds(10), "ErrImagePull")), report.retry());
    assertEquals(
        Duration.ofSeconds(10),
        startFailures.remaining(new ContainerKey(web.key(), web.uid(), "app")));
    assertTrue(next.changed());
    assertTrue(runtime.latest(web.key(), "side").isRunning());
  }

  @Test
  void onlyStoppingStraysCountsAsAChangeTheStatusIsReListedFor() {
    run(Optional.empty(), new CreateSandbox(0), new StartContainer("app", APP, 0));
    RuntimeContainer sandbox = runtime.latest(web.key(), "POD");

    assertFalse(
        run(Optional.of(sandbox), new StopContainers(List.of(sandbox), Why.POD_COMPLETED))
            .changed());
    assertTrue(
        run(
                Optional.of(sandbox),
                new StopContainers(List.of(runtime.latest(web.key(), "app")), Why.SANDBOX_CHANGED))
            .changed());
    assertEquals(List.of(), runtime.running(web.key()));
  }

  @Test
  void aCrashLoopWaitCallsNoEngineAndRecordsBackOff() {
    ContainerWaiting crash = new ContainerWaiting("CrashLoopBackOff", "back-off 20s");

    PassReport report =
        run(
            Optional.empty(),
            new WaitBackoff(Duration.ofSeconds(20), "CrashLoopBackOff", Map.of("app", crash)),
            new WaitBackoff(Duration.ofSeconds(0), "start back-off", Map.of()),
            new ReportBackOff(APP, "app"));

    assertEquals(List.of(), runtime.calls);
    assertEquals(
        new PassReport(
            false,
            Map.of("app", crash),
            Optional.of(new PassReport.Retry(Duration.ofMillis(100), "start back-off"))),
        report,
        "the earliest hold wins");
    assertEquals(List.of("BackOff"), events.stream().map(PodEvent::reason).toList());
  }

  @Test
  void killingAnIncarnationRemovesItsContainersResourcesAndBackoffs() {
    run(Optional.empty(), new CreateSandbox(0), new StartContainer("app", APP, 0));
    crashBackoff.recordRetry(new ContainerKey(web.key(), web.uid(), "app"));
    List<RuntimeContainer> all = runtime.all();
    runtime.calls.clear();

    executor.execute(
        web.key(),
        null,
        new PodActions(
            Intent.REMOVE, Optional.empty(), List.of(new KillPod(all, "manifest removed"))));

    assertEquals(List.of(), runtime.all());
    assertTrue(
        runtime.calls.contains("removePodResources default/web-node1 u1"),
        runtime.calls.toString());
    assertEquals(0, crashBackoff.size());
  }
}
