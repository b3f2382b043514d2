package io.staticlet.core.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.staticlet.core.events.KubeletEvents;
import io.staticlet.core.events.PodEvent;
import io.staticlet.core.manifest.ManifestSnapshot;
import io.staticlet.core.pod.ContainerKey;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.reconcile.DesiredPods;
import io.staticlet.core.reconcile.Reconciler;
import io.staticlet.core.reconcile.ReconcilerCollaborators;
import io.staticlet.core.reconcile.SyncOutcome;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.PodStatusRenderer;
import io.staticlet.core.status.PodStatusStore;
import io.staticlet.core.testing.FakeContainerRuntime;
import io.staticlet.core.testing.ManualClock;
import io.staticlet.core.testing.ManualScheduler;
import io.staticlet.core.testing.TestLaunches;
import io.staticlet.core.testing.TestPods;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The probe manager wired to the real reconciler, status computation and status store, with a fake
 * engine, a scripted network and manual time: every probe run, threshold and kill is stepped second
 * by second, no threads, no sleeps.
 */
class ProbeManagerTest {
  private final ManualClock clock = new ManualClock();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final FakeContainerRuntime runtime = new FakeContainerRuntime(clock);
  private final ScriptedNetworkProber network = new ScriptedNetworkProber(clock);
  private final DesiredPods desired = new DesiredPods();
  private final PodStatusStore store = new PodStatusStore();
  private final Set<PodKey> dirty = Collections.synchronizedSet(new LinkedHashSet<>());
  private final List<Runnable> heldProbes = new ArrayList<>();
  private Executor probeExecutor = Runnable::run;
  private final List<PodEvent> events = new CopyOnWriteArrayList<>();
  private final KubeletEvents kubeletEvents = new KubeletEvents(events::add, clock);
  private ProbeManager probes;
  private Reconciler reconciler;
  private Instant t0;

  @BeforeEach
  void wire() {
    probes =
        new ProbeManager(
            store,
            desired::get,
            new Prober(new ExecProber(runtime), network),
            dirty::add,
            scheduler,
            task -> probeExecutor.execute(task),
            clock,
            kubeletEvents);
    reconciler =
        new Reconciler(
            ReconcilerCollaborators.of(desired, runtime, TestLaunches.create(), store, clock)
                .withHealth(probes)
                .withEvents(kubeletEvents));
    probes.start();
    t0 = clock.instant();
  }

  // ---- harness: the work queue and its worker, stepped by hand ----

  private StaticPod run(StaticPod pod) {
    desired.replace(new ManifestSnapshot(Map.of(pod.key(), pod), List.of()));
    dirty.add(pod.key());
    settle();
    return pod;
  }

  /** Runs what is due now and reconciles every enqueued pod until nothing moves. */
  private void settle() {
    for (int i = 0; i < 100; i++) {
      scheduler.runDue();
      PodKey next;
      synchronized (dirty) {
        if (dirty.isEmpty()) {
          return;
        }
        next = dirty.iterator().next();
        dirty.remove(next);
      }
      SyncOutcome outcome = reconciler.reconcile(next);
      Duration again =
          outcome instanceof SyncOutcome.Converged c
              ? c.resyncAfter()
              : outcome instanceof SyncOutcome.Waiting w
                  ? w.retryIn()
                  : outcome instanceof SyncOutcome.RetryAfter r ? r.delay() : null;
      if (again != null) {
        scheduler.schedule(again, () -> dirty.add(next));
      }
    }
    throw new AssertionError("pods never settled: " + dirty);
  }

  private void advanceSeconds(int seconds) {
    for (int i = 0; i < seconds; i++) {
      scheduler.advance(Duration.ofSeconds(1));
      settle();
    }
  }

  private static Probe http(String path, int period, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(8080))
        .endHttpGet()
        .withPeriodSeconds(period)
        .withFailureThreshold(failureThreshold)
        .withSuccessThreshold(1)
        .withTimeoutSeconds(1)
        .build();
  }

  private static ContainerBuilder app() {
    return new ContainerBuilder()
        .withName("app")
        .withImage("app:1")
        .withImagePullPolicy("IfNotPresent");
  }

  private ContainerStatus status(StaticPod pod) {
    return PodStatusRenderer.render(store.get(pod.key()).orElseThrow().status())
        .getContainerStatuses()
        .get(0);
  }

  private String condition(StaticPod pod, String type) {
    return PodStatusRenderer.render(store.get(pod.key()).orElseThrow().status())
        .getConditions()
        .stream()
        .filter(c -> c.getType().equals(type))
        .map(PodCondition::getStatus)
        .findFirst()
        .orElseThrow();
  }

  private RuntimeContainer latest(StaticPod pod) {
    return runtime.latest(pod.key(), "app");
  }

  private List<Long> secondsSinceStart(String target) {
    return network.callTimes(target).stream()
        .map(t -> Duration.between(t0, t).toSeconds())
        .toList();
  }

  // ---- readiness ----

  @Test
  void containerWithoutProbesIsReadyAndStartedAsSoonAsItRuns() {
    StaticPod pod = run(TestPods.pod("plain").container("app", "app:1").build());

    assertTrue(status(pod).getReady());
    assertTrue(status(pod).getStarted());
    assertEquals("True", condition(pod, "Ready"));
    assertEquals(0, probes.probedInstances());
  }

  @Test
  void readinessProbeKeepsContainerUnreadyUntilItFirstSucceedsAfterTheInitialDelay() {
    Probe ready = http("/ready", 10, 3);
    ready.setInitialDelaySeconds(5);
    StaticPod pod =
        run(TestPods.pod("web").container(app().withReadinessProbe(ready).build()).build());

    assertFalse(status(pod).getReady());
    assertTrue(status(pod).getStarted());
    assertEquals("False", condition(pod, "Ready"));
    assertEquals("False", condition(pod, "ContainersReady"));

    advanceSeconds(4);
    assertEquals(List.of(), secondsSinceStart("/ready"), "nothing runs before initialDelaySeconds");
    assertFalse(status(pod).getReady());

    advanceSeconds(1);
    assertEquals(List.of(5L), secondsSinceStart("/ready"));
    assertTrue(status(pod).getReady());
    assertEquals("True", condition(pod, "Ready"));
    assertEquals("True", condition(pod, "ContainersReady"));
  }

  @Test
  void probesRunEveryPeriodAfterTheInitialDelay() {
    Probe ready = http("/ready", 10, 3);
    ready.setInitialDelaySeconds(5);
    run(TestPods.pod("web").container(app().withReadinessProbe(ready).build()).build());

    advanceSeconds(36);

    assertEquals(List.of(5L, 15L, 25L, 35L), secondsSinceStart("/ready"));
  }

  @Test
  void readinessFlipsOnlyAfterConsecutiveThresholdsAndDrivesTheReadyCondition() {
    Probe ready = http("/ready", 1, 2);
    ready.setSuccessThreshold(2);
    StaticPod pod =
        run(TestPods.pod("web").container(app().withReadinessProbe(ready).build()).build());
    assertFalse(status(pod).getReady(), "one success of two");

    advanceSeconds(1);
    assertTrue(status(pod).getReady());

    network.fail("/ready");
    advanceSeconds(1);
    assertTrue(status(pod).getReady(), "one failure of two");
    advanceSeconds(1);
    assertFalse(status(pod).getReady());
    assertEquals("False", condition(pod, "Ready"));
    assertEquals(
        "containers with unready status: [app]",
        PodStatusRenderer.render(store.get(pod.key()).orElseThrow().status())
            .getConditions()
            .stream()
            .filter(c -> c.getType().equals("Ready"))
            .findFirst()
            .orElseThrow()
            .getMessage());
    assertEquals(ContainerState.RUNNING, latest(pod).state(), "readiness never kills");

    network.pass("/ready");
    advanceSeconds(1);
    assertFalse(status(pod).getReady(), "one success of two");
    advanceSeconds(1);
    assertTrue(status(pod).getReady());
    assertEquals("True", condition(pod, "Ready"));
  }

  @Test
  void everyVerdictFlipEnqueuesThePod() {
    StaticPod pod =
        run(
            TestPods.pod("web")
                .container(app().withReadinessProbe(http("/ready", 1, 1)).build())
                .build());
    network.fail("/ready");

    scheduler.advance(Duration.ofSeconds(1));

    assertEquals(Set.of(pod.key()), Set.copyOf(dirty));
  }

  // ---- liveness ----

  @Test
  void livenessFailureThresholdKillsAndRestartsTheContainerAsANewInstance() {
    StaticPod pod =
        run(
            TestPods.pod("web")
                .container(app().withLivenessProbe(http("/live", 1, 3)).build())
                .build());
    RuntimeContainer first = latest(pod);
    network.fail("/live");

    advanceSeconds(1);
    advanceSeconds(1);
    assertEquals(first.id(), latest(pod).id(), "two failures of three");
    advanceSeconds(1);
    advanceSeconds(1);

    assertTrue(runtime.calls.contains("stop " + first.id() + " 30"), runtime.calls.toString());
    RuntimeContainer second = latest(pod);
    assertNotEquals(first.id(), second.id());
    assertEquals(ContainerState.RUNNING, second.state());
    assertEquals(1, status(pod).getRestartCount());
    assertEquals(143, status(pod).getLastState().getTerminated().getExitCode());
    List<String> described = events.stream().map(e -> e.reason() + ": " + e.message()).toList();
    int kill =
        described.indexOf(
            described.stream().filter(l -> l.startsWith("Killing: ")).findFirst().orElseThrow());
    assertEquals(
        3,
        described.subList(0, kill).stream()
            .filter(l -> l.startsWith("Unhealthy: Liveness probe failed: "))
            .count(),
        "one Unhealthy per failed run up to the threshold: " + described);
    assertTrue(
        described.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "Killing: Container app failed liveness probe, will be restarted")),
        described.toString());
    assertEquals(
        1,
        described.stream().filter(l -> l.startsWith("Killing: ")).count(),
        "one Killing per kill: " + described);

    network.pass("/live");
    advanceSeconds(30);
    assertEquals(
        second.id(),
        latest(pod).id(),
        "the new instance starts with a fresh, passing liveness state");
    assertEquals(
        Optional.empty(),
        probes.mustRestart(new ContainerKey(pod.key(), pod.uid(), "app"), second.id()));
  }

  @Test
  void livenessKillUsesTheProbesTerminationGracePeriod() {
    Probe live = http("/live", 1, 1);
    live.setTerminationGracePeriodSeconds(7L);
    StaticPod pod =
        run(TestPods.pod("web").container(app().withLivenessProbe(live).build()).build());
    String id = latest(pod).id();
    network.fail("/live");

    advanceSeconds(1);

    assertTrue(runtime.calls.contains("stop " + id + " 7"), runtime.calls.toString());
  }

  @Test
  void failedLivenessStopsProbingTheDoomedInstance() {
    StaticPod pod =
        run(
            TestPods.pod("web")
                .restartPolicy("Never")
                .container(app().withLivenessProbe(http("/live", 1, 1)).build())
                .build());
    network.fail("/live");

    advanceSeconds(10);

    assertEquals(ContainerState.EXITED, latest(pod).state());
    assertEquals(0, latest(pod).attempt(), "restartPolicy Never: killed, not restarted");
    assertEquals(2, network.count("/live"), "one at the start, the failing one; none after");
    assertEquals(0, probes.probedInstances());
  }

  @Test
  void engineErrorsDuringExecProbesNeitherPassNorFail() {
    Probe live =
        new ProbeBuilder()
            .withNewExec()
            .withCommand("cat", "/tmp/healthy")
            .endExec()
            .withPeriodSeconds(1)
            .withFailureThreshold(1)
            .build();
    StaticPod pod =
        run(TestPods.pod("web").container(app().withLivenessProbe(live).build()).build());
    String id = latest(pod).id();

    for (int i = 0; i < 5; i++) {
      runtime.failNext(1); // the next engine call is the probe's exec
      advanceSeconds(1);
    }

    assertEquals(id, latest(pod).id());
    assertEquals(ContainerState.RUNNING, latest(pod).state());
    assertTrue(
        runtime.calls.stream().filter(c -> c.startsWith("exec " + id)).count() >= 5,
        runtime.calls.toString());
    assertTrue(
        runtime.execs.contains(id + " cat /tmp/healthy"), "the first exec ran: " + runtime.execs);
  }

  // ---- startup ----

  @Test
  void startupProbeHoldsBackLivenessAndReadinessUntilItSucceeds() {
    network.fail("/started");
    network.fail("/live"); // would kill at once if it ran
    StaticPod pod =
        run(
            TestPods.pod("slow")
                .container(
                    app()
                        .withStartupProbe(http("/started", 1, 30))
                        .withLivenessProbe(http("/live", 1, 1))
                        .withReadinessProbe(http("/ready", 10, 3))
                        .build())
                .build());

    advanceSeconds(10);
    assertEquals(0, network.count("/live"));
    assertEquals(0, network.count("/ready"));
    assertEquals(11, network.count("/started"));
    assertFalse(status(pod).getStarted());
    assertFalse(status(pod).getReady());
    assertEquals(ContainerState.RUNNING, latest(pod).state());

    network.pass("/started");
    network.pass("/live");
    advanceSeconds(1);
    assertTrue(status(pod).getStarted());
    assertEquals(
        List.of(11L),
        secondsSinceStart("/ready"),
        "readiness runs as soon as the container started");
    assertTrue(status(pod).getReady());

    advanceSeconds(5);
    assertTrue(network.count("/live") >= 4, "liveness runs from now on: " + network.count("/live"));
    assertEquals(12, network.count("/started"), "startup stops once it succeeded");
  }

  @Test
  void startupProbeFailureThresholdKillsTheContainer() {
    network.fail("/started");
    StaticPod pod =
        run(
            TestPods.pod("slow")
                .container(app().withStartupProbe(http("/started", 1, 3)).build())
                .build());
    RuntimeContainer first = latest(pod);

    advanceSeconds(2);
    assertEquals(first.id(), latest(pod).id());
    advanceSeconds(2);

    assertTrue(runtime.calls.contains("stop " + first.id() + " 30"), runtime.calls.toString());
    assertNotEquals(first.id(), latest(pod).id());
    assertEquals(1, status(pod).getRestartCount());
    assertFalse(status(pod).getStarted(), "the new instance has not started either");
  }

  // ---- lifecycle of workers ----

  @Test
  void probesOfAStoppedContainerStop() {
    StaticPod pod =
        run(
            TestPods.pod("job")
                .restartPolicy("Never")
                .container(app().withReadinessProbe(http("/ready", 1, 3)).build())
                .build());
    advanceSeconds(2);
    assertEquals(1, probes.probedInstances());

    runtime.exit(latest(pod).id(), 0);
    dirty.add(pod.key()); // the engine's die event
    settle();
    long before = network.count("/ready");
    advanceSeconds(5);

    assertEquals(before, network.count("/ready"));
    assertEquals(0, probes.probedInstances());
  }

  @Test
  void atMostOneRunOfAProbeIsInFlight() {
    probeExecutor = heldProbes::add;
    run(
        TestPods.pod("web")
            .container(app().withLivenessProbe(http("/live", 1, 3)).build())
            .build());

    advanceSeconds(3);
    assertEquals(1, heldProbes.size(), "later ticks skip while the first run is in flight");

    heldProbes.remove(0).run();
    advanceSeconds(1);
    assertEquals(1, heldProbes.size());
  }

  @Test
  void probesTargetThePodIpOrTheNodeForHostNetwork() {
    StaticPod bridged =
        run(
            TestPods.pod("web")
                .container(app().withReadinessProbe(http("/ready", 10, 3)).build())
                .build());
    String podIp = store.get(bridged.key()).orElseThrow().status().podIp();
    StaticPod host =
        TestPods.pod("node-agent")
            .container(app().withReadinessProbe(http("/host-ready", 10, 3)).build())
            .build();
    host.pod().getSpec().setHostNetwork(true);
    desired.replace(
        new ManifestSnapshot(Map.of(bridged.key(), bridged, host.key(), host), List.of()));
    dirty.add(host.key());
    settle();

    assertTrue(podIp.startsWith("10.88."), podIp);
    assertEquals(
        podIp,
        network.calls.stream()
            .filter(c -> c.target().equals("/ready"))
            .findFirst()
            .orElseThrow()
            .host());
    assertEquals(
        runtime.hostIp(),
        network.calls.stream()
            .filter(c -> c.target().equals("/host-ready"))
            .findFirst()
            .orElseThrow()
            .host());
  }

  @Test
  void closingStopsAllProbing() {
    run(
        TestPods.pod("web")
            .container(app().withReadinessProbe(http("/ready", 1, 3)).build())
            .build());
    long before = network.count("/ready");

    probes.close();
    advanceSeconds(5);

    assertEquals(before, network.count("/ready"));
  }
}
