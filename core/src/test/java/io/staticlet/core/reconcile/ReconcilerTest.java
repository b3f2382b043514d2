package io.staticlet.core.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.staticlet.core.manifest.ManifestSnapshot;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.PodStatusRenderer;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.testing.FakeContainerRuntime;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.TestLaunches;
import io.staticlet.core.testing.TestPods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReconcilerTest {
  private final ManualClock clock = new ManualClock();
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
  private final DesiredPods desired = new DesiredPods();
  private final PodStatusStore statusStore = new PodStatusStore();
  private final Reconciler reconciler =
      new Reconciler(
          ReconcilerCollaborators.of(desired, runtime, TestLaunches.create(), statusStore, clock));

  private void want(StaticPod... pods) {
    desired.replace(
        new ManifestSnapshot(
            java.util.Arrays.stream(pods)
                .collect(java.util.stream.Collectors.toMap(StaticPod::key, p -> p)),
            List.of()));
  }

  private PodStatus status(PodKey key) {
    return PodStatusRenderer.render(statusStore.get(key).orElseThrow().status());
  }

  private ContainerStatus containerStatus(PodKey key, String name) {
    return status(key).getContainerStatuses().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void startsSandboxThenAppContainerAndReportsRunning() {
    StaticPod web = TestPods.pod("web").container("nginx", "nginx:1.25").build();
    want(web);

    reconciler.reconcile(web.key());

    RuntimeContainer sandbox = runtime.latest(web.key(), "POD");
    RuntimeContainer nginx = runtime.latest(web.key(), "nginx");
    assertEquals(ContainerState.RUNNING, sandbox.state());
    assertEquals(ContainerState.RUNNING, nginx.state());
    assertEquals(sandbox.id(), nginx.sandboxId());
    assertEquals(0, nginx.attempt());
    assertEquals("Running", status(web.key()).getPhase());
    assertEquals("docker://" + nginx.id(), containerStatus(web.key(), "nginx").getContainerID());
    assertTrue(containerStatus(web.key(), "nginx").getReady());
    assertEquals(sandbox.ip(), status(web.key()).getPodIP());
    assertEquals("True", condition(web.key(), "Ready"));
  }

  private String condition(PodKey key, String type) {
    return status(key).getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow()
        .getStatus();
  }

  @Test
  void convergedPodIsLeftAloneOnResync() {
    StaticPod web = TestPods.pod("web").container("nginx", "nginx:1.25").build();
    want(web);
    reconciler.reconcile(web.key());
    runtime.calls.clear();

    SyncOutcome outcome = reconciler.reconcile(web.key());

    assertEquals(new SyncOutcome.Converged(Duration.ofMinutes(1)), outcome);
    assertEquals(List.of("list"), runtime.calls);
  }

  @Test
  void restartsCrashedContainerAtOnceThenWithDoublingBackoff() {
    StaticPod web = TestPods.pod("web").container("app", "busybox:1.36").build();
    want(web);
    reconciler.reconcile(web.key());

    runtime.exit(runtime.latest(web.key(), "app").id(), 1);
    reconciler.reconcile(web.key());
    assertEquals(1, runtime.latest(web.key(), "app").attempt(), "first crash restarts immediately");
    assertTrue(runtime.latest(web.key(), "app").isRunning());

    clock.advance(Duration.ofSeconds(3));
    runtime.exit(runtime.latest(web.key(), "app").id(), 1);
    SyncOutcome outcome = reconciler.reconcile(web.key());
    assertEquals(new SyncOutcome.Waiting(Duration.ofSeconds(10), "CrashLoopBackOff"), outcome);
    assertEquals(1, runtime.latest(web.key(), "app").attempt());
    assertEquals(
        "CrashLoopBackOff", containerStatus(web.key(), "app").getState().getWaiting().getReason());
    assertEquals(1, containerStatus(web.key(), "app").getLastState().getTerminated().getExitCode());
    assertEquals(1, containerStatus(web.key(), "app").getRestartCount());

    clock.advance(Duration.ofSeconds(10));
    reconciler.reconcile(web.key());
    assertEquals(
        2,
        runtime.latest(web.key(), "app").attempt(),
        "restarted exactly when the back-off expired");

    runtime.exit(runtime.latest(web.key(), "app").id(), 1);
    assertEquals(
        new SyncOutcome.Waiting(Duration.ofSeconds(20), "CrashLoopBackOff"),
        reconciler.reconcile(web.key()));
  }

  @Test
  void backoffIsForgottenAfterTenMinutesOfRunning() {
    StaticPod web = TestPods.pod("web").container("app", "busybox:1.36").build();
    want(web);
    reconciler.reconcile(web.key());
    runtime.exit(runtime.latest(web.key(), "app").id(), 1);
    reconciler.reconcile(web.key());
    runtime.exit(runtime.latest(web.key(), "app").id(), 1);
    clock.advance(Duration.ofSeconds(10));
    reconciler.reconcile(web.key());

    clock.advance(Duration.ofMinutes(11));
    runtime.exit(runtime.latest(web.key(), "app").id(), 1);
    reconciler.reconcile(web.key());

    assertEquals(3, runtime.latest(web.key(), "app").attempt());
    assertTrue(runtime.latest(web.key(), "app").isRunning());
  }

  @Test
  void restartPolicyNeverEndsSucceededOrFailedWithoutRestart() {
    StaticPod ok =
        TestPods.pod("ok").restartPolicy("Never").container("job", "busybox:1.36").build();
    StaticPod bad =
        TestPods.pod("bad").restartPolicy("Never").container("job", "busybox:1.36").build();
    want(ok, bad);
    reconciler.reconcile(ok.key());
    reconciler.reconcile(bad.key());

    runtime.exit(runtime.latest(ok.key(), "job").id(), 0);
    runtime.exit(runtime.latest(bad.key(), "job").id(), 2);
    reconciler.reconcile(ok.key());
    reconciler.reconcile(bad.key());

    assertEquals("Succeeded", status(ok.key()).getPhase());
    assertEquals("Failed", status(bad.key()).getPhase());
    assertEquals(0, runtime.latest(ok.key(), "job").attempt());
    assertEquals(0, runtime.latest(bad.key(), "job").attempt());
    assertEquals(
        "Completed", containerStatus(ok.key(), "job").getState().getTerminated().getReason());
    assertEquals(List.of(), runtime.running(ok.key()), "the sandbox of a finished pod is stopped");
  }

  @Test
  void restartPolicyOnFailureRestartsOnlyFailures() {
    StaticPod pod =
        TestPods.pod("job").restartPolicy("OnFailure").container("main", "busybox:1.36").build();
    want(pod);
    reconciler.reconcile(pod.key());
    runtime.exit(runtime.latest(pod.key(), "main").id(), 3);
    reconciler.reconcile(pod.key());
    assertEquals(1, runtime.latest(pod.key(), "main").attempt());

    runtime.exit(runtime.latest(pod.key(), "main").id(), 0);
    reconciler.reconcile(pod.key());
    assertEquals(1, runtime.latest(pod.key(), "main").attempt());
    assertEquals("Succeeded", status(pod.key()).getPhase());
  }

  @Test
  void editedManifestStopsTheOldPodBeforeStartingTheNewOne() {
    StaticPod v1 = TestPods.pod("web").uid("aaa").container("nginx", "nginx:1.25").build();
    want(v1);
    reconciler.reconcile(v1.key());
    String oldId = runtime.latest(v1.key(), "nginx").id();

    StaticPod v2 = TestPods.pod("web").uid("bbb").container("nginx", "nginx:1.26").build();
    want(v2);
    runtime.calls.clear();
    reconciler.reconcile(v2.key());

    assertTrue(
        runtime.all().stream().noneMatch(c -> c.podUid().equals("aaa")),
        "old containers are removed");
    RuntimeContainer now = runtime.latest(v2.key(), "nginx");
    assertEquals("bbb", now.podUid());
    assertTrue(now.isRunning());
    int stopOld =
        runtime.calls.indexOf(
            runtime.calls.stream()
                .filter(c -> c.startsWith("stop " + oldId))
                .findFirst()
                .orElseThrow());
    int startNew =
        runtime.calls.indexOf(
            runtime.calls.stream()
                .filter(c -> c.startsWith("startSandbox"))
                .findFirst()
                .orElseThrow());
    assertTrue(stopOld < startNew, "stop before start: " + runtime.calls);
    assertTrue(runtime.calls.contains("removePodResources default/web-node1 aaa"));
  }

  @Test
  void removedManifestRunsPreStopStopsAndRemovesEverything() {
    StaticPod web =
        TestPods.pod("web")
            .grace(20)
            .container(
                new ContainerBuilder()
                    .withName("nginx")
                    .withImage("nginx:1.25")
                    .withNewLifecycle()
                    .withNewPreStop()
                    .withNewExec()
                    .withCommand("sh", "-c", "nginx -s quit")
                    .endExec()
                    .endPreStop()
                    .endLifecycle()
                    .build())
            .build();
    want(web);
    reconciler.reconcile(web.key());
    String id = runtime.latest(web.key(), "nginx").id();

    want();
    SyncOutcome outcome = reconciler.reconcile(web.key());

    assertInstanceOf(SyncOutcome.Gone.class, outcome);
    assertEquals(List.of(id + " sh -c nginx -s quit"), runtime.execs);
    assertTrue(runtime.calls.contains("stop " + id + " 20"), runtime.calls.toString());
    assertEquals(List.of(), runtime.all());
    assertTrue(statusStore.get(web.key()).isEmpty());
  }

  @Test
  void adoptsRunningContainersWithoutTouchingThem() {
    StaticPod web = TestPods.pod("web").uid("u1").container("nginx", "nginx:1.25").build();
    runtime.add(
        new RuntimeContainer(
            "sb-old",
            web.key(),
            "u1",
            "POD",
            ContainerRole.SANDBOX,
            0,
            "",
            ContainerState.RUNNING,
            0,
            "",
            "",
            clock.instant(),
            clock.instant(),
            null,
            "pause",
            "",
            "10.88.0.9",
            Duration.ofSeconds(30),
            Optional.empty(),
            Map.of()));
    runtime.add(
        new RuntimeContainer(
            "c-old",
            web.key(),
            "u1",
            "nginx",
            ContainerRole.APP,
            4,
            "sb-old",
            ContainerState.RUNNING,
            0,
            "",
            "",
            clock.instant(),
            clock.instant(),
            null,
            "nginx:1.25",
            "",
            "",
            Duration.ofSeconds(30),
            Optional.empty(),
            Map.of()));
    want(web);

    reconciler.reconcile(web.key());

    assertEquals(List.of("list"), runtime.calls);
    assertEquals(
        4,
        containerStatus(web.key(), "nginx").getRestartCount(),
        "restart count comes from the engine");
    assertEquals("10.88.0.9", status(web.key()).getPodIP());
  }

  @Test
  void aRestartedAgentAdoptsAHundredPodsWithOneListEachAndNoOtherEngineCall() {
    List<StaticPod> pods = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      StaticPod pod = TestPods.pod("web" + i).uid("u" + i).container("app", "busybox:1.36").build();
      runtime.add(
          new RuntimeContainer(
              "sb" + i,
              pod.key(),
              pod.uid(),
              "POD",
              ContainerRole.SANDBOX,
              0,
              "",
              ContainerState.RUNNING,
              0,
              "",
              "",
              clock.instant(),
              clock.instant(),
              null,
              "pause",
              "",
              "10.88.1." + i,
              Duration.ofSeconds(30),
              Optional.empty(),
              Map.of()));
      runtime.add(
          new RuntimeContainer(
              "c" + i,
              pod.key(),
              pod.uid(),
              "app",
              ContainerRole.APP,
              2,
              "sb" + i,
              ContainerState.RUNNING,
              0,
              "",
              "",
              clock.instant(),
              clock.instant(),
              null,
              "busybox:1.36",
              "",
              "",
              Duration.ofSeconds(30),
              Optional.empty(),
              Map.of()));
      pods.add(pod);
    }
    want(pods.toArray(StaticPod[]::new));

    for (StaticPod pod : pods) {
      assertEquals(
          new SyncOutcome.Converged(Duration.ofMinutes(1)), reconciler.reconcile(pod.key()));
    }

    assertEquals(java.util.Collections.nCopies(100, "list"), runtime.calls);
    for (StaticPod pod : pods) {
      assertEquals("Running", status(pod.key()).getPhase());
      assertEquals(2, containerStatus(pod.key(), "app").getRestartCount());
    }
  }

  @Test
  void killedSandboxRecreatesPodWithNextAttempt() {
    StaticPod web = TestPods.pod("web").container("nginx", "nginx:1.25").build();
    want(web);
    reconciler.reconcile(web.key());
    runtime.exit(runtime.latest(web.key(), "POD").id(), 137);

    reconciler.reconcile(web.key());

    assertEquals(1, runtime.latest(web.key(), "POD").attempt());
    assertTrue(runtime.latest(web.key(), "POD").isRunning());
    RuntimeContainer nginx = runtime.latest(web.key(), "nginx");
    assertEquals(1, nginx.attempt());
    assertEquals(runtime.latest(web.key(), "POD").id(), nginx.sandboxId());
    assertEquals(
        1, runtime.running(web.key()).stream().filter(c -> c.name().equals("nginx")).count());
  }

  @Test
  void aPassThatCreatesTheSandboxNeverStopsItAgain() {
    // a Never pod whose app could not run in a sandbox that is gone (removed behind the agent's
    // back):
    // the new sandbox is created and the app started in it, like the kubelet; completion is judged
    // on the next pass, from what runs in the new sandbox, not from the instance of the old one
    StaticPod pod =
        TestPods.pod("job").restartPolicy("Never").container("app", "busybox:1.36").build();
    runtime.add(
        new RuntimeContainer(
            "c-old",
            pod.key(),
            pod.uid(),
            "app",
            ContainerRole.APP,
            0,
            "sb-gone",
            ContainerState.CREATED,
            0,
            "ContainerCannotRun",
            "",
            clock.instant(),
            null,
            null,
            "busybox:1.36",
            "",
            "",
            Duration.ofSeconds(30),
            Optional.empty(),
            Map.of()));
    want(pod);

    reconciler.reconcile(pod.key());

    RuntimeContainer sandbox = runtime.latest(pod.key(), "POD");
    RuntimeContainer app = runtime.latest(pod.key(), "app");
    assertTrue(sandbox.isRunning());
    assertEquals(sandbox.id(), app.sandboxId());
    assertTrue(app.isRunning());
    assertEquals(1, app.attempt());
    assertTrue(
        runtime.calls.stream().noneMatch(c -> c.startsWith("stop ")), runtime.calls.toString());
    assertEquals("Running", status(pod.key()).getPhase());
  }

  @Test
  void initContainersRunInOrderBeforeAppContainers() {
    StaticPod pod =
        TestPods.pod("web")
            .initContainer("init-a", "busybox:1.36")
            .initContainer("init-b", "busybox:1.36")
            .container("app", "busybox:1.36")
            .build();
    want(pod);

    reconciler.reconcile(pod.key());
    assertTrue(runtime.latest(pod.key(), "init-a").isRunning());
    assertEquals(
        0,
        runtime.all().stream()
            .filter(c -> c.name().equals("init-b") || c.name().equals("app"))
            .count());
    assertEquals("Pending", status(pod.key()).getPhase());

    runtime.exit(runtime.latest(pod.key(), "init-a").id(), 0);
    reconciler.reconcile(pod.key());
    assertTrue(runtime.latest(pod.key(), "init-b").isRunning());

    runtime.exit(runtime.latest(pod.key(), "init-b").id(), 0);
    reconciler.reconcile(pod.key());
    assertTrue(runtime.latest(pod.key(), "app").isRunning());
    assertEquals("Running", status(pod.key()).getPhase());
    assertEquals("True", condition(pod.key(), "Initialized"));
  }

  @Test
  void failingInitContainerFollowsRestartPolicy() {
    StaticPod never =
        TestPods.pod("never")
            .restartPolicy("Never")
            .initContainer("init", "busybox:1.36")
            .container("app", "busybox:1.36")
            .build();
    StaticPod always =
        TestPods.pod("always")
            .initContainer("init", "busybox:1.36")
            .container("app", "busybox:1.36")
            .build();
    want(never, always);
    reconciler.reconcile(never.key());
    reconciler.reconcile(always.key());
    runtime.exit(runtime.latest(never.key(), "init").id(), 1);
    runtime.exit(runtime.latest(always.key(), "init").id(), 1);

    reconciler.reconcile(never.key());
    reconciler.reconcile(always.key());

    assertEquals("Failed", status(never.key()).getPhase());
    assertEquals(1, runtime.latest(always.key(), "init").attempt());
    assertEquals("Pending", status(always.key()).getPhase());
    assertTrue(runtime.all().stream().noneMatch(c -> c.name().equals("app")));
  }

  @Test
  void missingImageShowsErrImagePullThenBacksOffWithoutTouchingOtherPods() {
    StaticPod broken = TestPods.pod("broken").container("app", "nothere:1").build();
    StaticPod fine = TestPods.pod("fine").container("app", "busybox:1.36").build();
    runtime.imageMissing("nothere:1");
    want(broken, fine);

    SyncOutcome outcome = reconciler.reconcile(broken.key());
    reconciler.reconcile(fine.key());

    assertEquals(new SyncOutcome.Waiting(Duration.ofSeconds(10), "ErrImagePull"), outcome);
    assertEquals(
        "ErrImagePull", containerStatus(broken.key(), "app").getState().getWaiting().getReason());
    assertEquals("Pending", status(broken.key()).getPhase());
    assertTrue(runtime.latest(fine.key(), "app").isRunning());

    clock.advance(Duration.ofSeconds(5));
    reconciler.reconcile(broken.key());
    assertEquals(
        "ImagePullBackOff",
        containerStatus(broken.key(), "app").getState().getWaiting().getReason());

    runtime.imagePresent("nothere:1");
    clock.advance(Duration.ofSeconds(5));
    reconciler.reconcile(broken.key());
    assertTrue(runtime.latest(broken.key(), "app").isRunning());
  }

  @Test
  void engineOutageIsRetriedNotFatal() {
    StaticPod web = TestPods.pod("web").container("nginx", "nginx:1.25").build();
    want(web);
    runtime.failNext(1);

    assertEquals(
        new SyncOutcome.RetryAfter(Duration.ofSeconds(2), "engine down (fake)"),
        reconciler.reconcile(web.key()));
    reconciler.reconcile(web.key());
    assertTrue(runtime.latest(web.key(), "nginx").isRunning());
  }

  @Test
  void deadInstancesAreCollectedKeepingTheNewest() {
    StaticPod web = TestPods.pod("web").container("app", "busybox:1.36").build();
    want(web);
    reconciler.reconcile(web.key());
    for (int i = 0; i < 4; i++) {
      runtime.exit(runtime.latest(web.key(), "app").id(), 1);
      clock.advance(Duration.ofMinutes(6));
      reconciler.reconcile(web.key());
    }

    List<RuntimeContainer> apps =
        runtime.all().stream().filter(c -> c.name().equals("app")).toList();
    assertEquals(2, apps.size(), "the running instance and the newest dead one: " + apps);
    assertEquals(1, apps.stream().filter(c -> c.state() == ContainerState.EXITED).count());
  }

  @Test
  void orphansAreNotTouchedBeforeTheManifestsWereListed() {
    PodKey key = new PodKey("default", "gone-node1");
    runtime.add(
        new RuntimeContainer(
            "c1",
            key,
            "u9",
            "app",
            ContainerRole.APP,
            0,
            "sb",
            ContainerState.RUNNING,
            0,
            "",
            "",
            clock.instant(),
            clock.instant(),
            null,
            "img",
            "",
            "",
            Duration.ofSeconds(5),
            Optional.empty(),
            Map.of()));

    reconciler.reconcile(key);
    assertTrue(runtime.all().get(0).isRunning());

    want();
    reconciler.reconcile(key);
    assertTrue(runtime.all().isEmpty());
    assertTrue(
        runtime.calls.contains("stop c1 5"), "grace period from the labels: " + runtime.calls);
  }

  @Test
  void statusKeepsTransitionTimesWhileNothingChanges() {
    StaticPod web = TestPods.pod("web").container("nginx", "nginx:1.25").build();
    want(web);
    reconciler.reconcile(web.key());
    PodStatus first = status(web.key());

    clock.advance(Duration.ofMinutes(2));
    reconciler.reconcile(web.key());

    assertEquals(first, status(web.key()));
    assertFalse(first.getStartTime().isEmpty());
  }

  @Test
  void refusedSandboxBacksOffAndShowsWhyWithoutHammeringTheEngine() {
    StaticPod web = TestPods.pod("web").container("httpd", "busybox:1.36").build();
    want(web);
    runtime.rejectSandboxes("Bind for 0.0.0.0:8080 failed: port is already allocated");

    assertEquals(
        new SyncOutcome.Waiting(Duration.ofSeconds(10), "FailedCreatePodSandBox"),
        reconciler.reconcile(web.key()));
    assertEquals("Pending", status(web.key()).getPhase());
    assertTrue(
        containerStatus(web.key(), "httpd")
            .getState()
            .getWaiting()
            .getMessage()
            .contains("port is already allocated"));

    runtime.calls.clear();
    clock.advance(Duration.ofSeconds(3));
    reconciler.reconcile(web.key());
    assertTrue(
        runtime.calls.stream().noneMatch(c -> c.startsWith("startSandbox")),
        "no retry during back-off: " + runtime.calls);

    runtime.rejectSandboxes(null);
    clock.advance(Duration.ofSeconds(7));
    reconciler.reconcile(web.key());
    assertTrue(runtime.latest(web.key(), "httpd").isRunning());
  }

  @Test
  void containerTheEngineCannotRunIsTerminatedWithContainerCannotRun() {
    StaticPod never =
        TestPods.pod("never").restartPolicy("Never").container("app", "broken:1").build();
    StaticPod always = TestPods.pod("always").container("app", "broken:1").build();
    runtime.unrunnable("broken:1");
    want(never, always);

    reconciler.reconcile(never.key());
    reconciler.reconcile(never.key());
    reconciler.reconcile(always.key());
    reconciler.reconcile(always.key());

    assertEquals("Failed", status(never.key()).getPhase());
    assertEquals(
        "ContainerCannotRun",
        containerStatus(never.key(), "app").getState().getTerminated().getReason());
    assertEquals(127, containerStatus(never.key(), "app").getState().getTerminated().getExitCode());
    assertEquals(
        1, runtime.latest(always.key(), "app").attempt(), "restarted per policy like a crash");
    SyncOutcome outcome = reconciler.reconcile(always.key());
    assertEquals(new SyncOutcome.Waiting(Duration.ofSeconds(10), "CrashLoopBackOff"), outcome);
  }
}
