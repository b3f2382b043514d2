package io.staticlet.core.reconcile;

import static io.staticlet.core.runtime.ContainerRole.APP;
import static io.staticlet.core.runtime.ContainerRole.INIT;
import static io.staticlet.core.runtime.ContainerState.CREATED;
import static io.staticlet.core.runtime.ContainerState.EXITED;
import static io.staticlet.core.runtime.ContainerState.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.staticlet.core.pod.RestartPolicy;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.reconcile.PodActions.Intent;
import io.staticlet.core.reconcile.RuntimeAction.CountCrashRestart;
import io.staticlet.core.reconcile.RuntimeAction.CreateSandbox;
import io.staticlet.core.reconcile.RuntimeAction.KillPod;
import io.staticlet.core.reconcile.RuntimeAction.RemoveDead;
import io.staticlet.core.reconcile.RuntimeAction.ReportBackOff;
import io.staticlet.core.reconcile.RuntimeAction.ReportSandboxChanged;
import io.staticlet.core.reconcile.RuntimeAction.StartContainer;
import io.staticlet.core.reconcile.RuntimeAction.StartCreated;
import io.staticlet.core.reconcile.RuntimeAction.StopContainer;
import io.staticlet.core.reconcile.RuntimeAction.StopContainers;
import io.staticlet.core.reconcile.RuntimeAction.StopContainers.Why;
import io.staticlet.core.reconcile.RuntimeAction.WaitBackoff;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.status.ContainerWaiting;
import io.staticlet.core.testing.TestPods;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner's decisions as data: one row per observed state, each planned under every restart
 * policy, the expected actions written out. No engine, no clock.
 */
class PodPlannerTest {
  private static final String HOST_IP = "192.0.2.10";
  private static final Instances MINE = Instances.ofUid("u1");
  private static final Instances OLD = Instances.ofUid("u0");

  private static final RuntimeContainer SB = MINE.sandbox("sb1", 0, RUNNING);
  private static final RuntimeContainer SB_DEAD = MINE.sandbox("sb1", 0, EXITED);
  private static final RuntimeContainer SB2 = MINE.sandbox("sb2", 1, RUNNING);
  private static final RuntimeContainer APP_IN_DEAD = MINE.app("c1", 0, "sb1", RUNNING);
  private static final RuntimeContainer APP_RUNNING = MINE.app("c1", 0, "sb1", RUNNING);
  private static final RuntimeContainer APP_OK = MINE.appExited("c1", 0, "sb1", 0);
  private static final RuntimeContainer APP_FAILED = MINE.appExited("c1", 0, "sb1", 1);
  private static final RuntimeContainer APP_CREATED = MINE.app("c1", 0, "sb1", CREATED);
  private static final RuntimeContainer APP_CANNOT_RUN = MINE.appCannotRun("c1", 0, "sb1");
  private static final RuntimeContainer INIT_RUNNING = MINE.init("i1", 0, "sb1", RUNNING);
  private static final RuntimeContainer INIT_OK = MINE.initExited("i1", 0, "sb1", 0);
  private static final RuntimeContainer INIT_FAILED = MINE.initExited("i1", 0, "sb1", 1);
  private static final RuntimeContainer INIT_CREATED = MINE.init("i1", 0, "sb1", CREATED);

  private static final ContainerWaiting PULL_BACKOFF =
      new ContainerWaiting("ImagePullBackOff", "Back-off pulling image: denied");
  private static final String SANDBOX_REFUSED =
      "failed to create pod sandbox: port is already allocated";
  private static final String CRASH_LOOP =
      "back-off 10s restarting failed container=app pod=web-node1_default(u1)";

  private static final StopContainers COMPLETED =
      new StopContainers(List.of(SB), Why.POD_COMPLETED);
  private static final RuntimeAction START_APP_0 = new StartContainer("app", APP, 0);
  private static final RuntimeAction START_APP_1 = new StartContainer("app", APP, 1);

  /** One observed state and what each restart policy plans for it. */
  record Row(
      String state,
      boolean withInit,
      List<RuntimeContainer> observed,
      PlanInputs holds,
      List<RuntimeAction> always,
      List<RuntimeAction> onFailure,
      List<RuntimeAction> never) {
    List<RuntimeAction> expected(RestartPolicy policy) {
      return switch (policy) {
        case ALWAYS -> always;
        case ON_FAILURE -> onFailure;
        case NEVER -> never;
      };
    }
  }

  /** Back-off holds and probe verdicts of a row (empty for most). */
  record PlanInputs(
      Map<String, PlanInput.CrashLoop> crashLoops,
      Map<String, PlanInput.StartHold> startHolds,
      Map<String, PlanInput.Unhealthy> unhealthy) {
    static final PlanInputs NONE = new PlanInputs(Map.of(), Map.of(), Map.of());
  }

  private static Row row(String state, List<RuntimeContainer> observed, List<RuntimeAction> every) {
    return new Row(state, false, observed, PlanInputs.NONE, every, every, every);
  }

  private static Row row(
      String state,
      List<RuntimeContainer> observed,
      List<RuntimeAction> always,
      List<RuntimeAction> onFailure,
      List<RuntimeAction> never) {
    return new Row(state, false, observed, PlanInputs.NONE, always, onFailure, never);
  }

  private static Row withInit(Row r) {
    return new Row(r.state(), true, r.observed(), r.holds(), r.always(), r.onFailure(), r.never());
  }

  private static Row holding(PlanInputs holds, Row r) {
    return new Row(
        r.state(), r.withInit(), r.observed(), holds, r.always(), r.onFailure(), r.never());
  }

  private static List<RuntimeContainer> seen(RuntimeContainer... observed) {
    return List.of(observed);
  }

  private static List<RuntimeAction> plan(RuntimeAction... actions) {
    return Arrays.asList(actions);
  }

  private static CountCrashRestart counted(String container, int exitCode, int restartCount) {
    return new CountCrashRestart(container, exitCode, restartCount);
  }

  static Stream<Row> rows() {
    return Stream.of(
        // ---- the sandbox ----
        row("no sandbox, no containers", seen(), plan(new CreateSandbox(0), START_APP_0)),
        row(
            "sandbox dead, no containers",
            seen(SB_DEAD),
            plan(
                new ReportSandboxChanged(),
                new CreateSandbox(1),
                START_APP_0,
                new RemoveDead(List.of("sb1")))),
        row(
            "sandbox dead, app running",
            seen(SB_DEAD, APP_IN_DEAD),
            plan(
                new StopContainers(List.of(APP_IN_DEAD), Why.SANDBOX_GONE),
                new ReportSandboxChanged(),
                new CreateSandbox(1),
                START_APP_1),
            plan(
                new StopContainers(List.of(APP_IN_DEAD), Why.SANDBOX_GONE),
                new ReportSandboxChanged(),
                new CreateSandbox(1),
                START_APP_1),
            plan()),
        row(
            "sandbox dead, app exited 0",
            seen(SB_DEAD, APP_OK),
            plan(new ReportSandboxChanged(), new CreateSandbox(1), START_APP_1),
            plan(),
            plan()),
        row(
            "sandbox dead, app exited 1",
            seen(SB_DEAD, APP_FAILED),
            plan(new ReportSandboxChanged(), new CreateSandbox(1), START_APP_1),
            plan(new ReportSandboxChanged(), new CreateSandbox(1), START_APP_1),
            plan()),
        holding(
            new PlanInputs(
                Map.of(),
                Map.of(
                    PodPlanner.SANDBOX,
                    new PlanInput.StartHold(
                        Duration.ofSeconds(8),
                        new ContainerWaiting("ContainerCreating", SANDBOX_REFUSED))),
                Map.of()),
            row(
                "no sandbox, its creation held after a refusal",
                seen(),
                plan(
                    new WaitBackoff(
                        Duration.ofSeconds(8),
                        "sandbox back-off",
                        Map.of(
                            "app", new ContainerWaiting("ContainerCreating", SANDBOX_REFUSED)))))),
        row(
            "app running in an older sandbox of the same UID",
            seen(SB_DEAD, MINE.sandbox("sb2", 1, RUNNING), APP_IN_DEAD),
            plan(new StopContainers(List.of(APP_IN_DEAD), Why.SANDBOX_CHANGED), START_APP_1)),
        row(
            "app exited 0 in an older sandbox, the current one running",
            seen(SB_DEAD, SB2, APP_OK),
            plan(START_APP_1),
            plan(new StopContainers(List.of(SB2), Why.POD_COMPLETED)),
            plan(new StopContainers(List.of(SB2), Why.POD_COMPLETED))),
        row(
            "app exited 1 in an older sandbox, the current one running",
            seen(SB_DEAD, SB2, APP_FAILED),
            plan(START_APP_1),
            plan(START_APP_1),
            plan(new StopContainers(List.of(SB2), Why.POD_COMPLETED))),
        // ---- the app container in a running sandbox ----
        row("sandbox running, app absent", seen(SB), plan(START_APP_0)),
        row("sandbox running, app running (adopted or converged)", seen(SB, APP_RUNNING), plan()),
        row(
            "sandbox running, app exited 0",
            seen(SB, APP_OK),
            plan(counted("app", 0, 1), START_APP_1),
            plan(COMPLETED),
            plan(COMPLETED)),
        row(
            "sandbox running, app exited 1",
            seen(SB, APP_FAILED),
            plan(counted("app", 1, 1), START_APP_1),
            plan(counted("app", 1, 1), START_APP_1),
            plan(COMPLETED)),
        row(
            "sandbox running, app created but never started",
            seen(SB, APP_CREATED),
            plan(new StartCreated(APP_CREATED))),
        row(
            "sandbox running, app the engine could not run",
            seen(SB, APP_CANNOT_RUN),
            plan(counted("app", 127, 1), START_APP_1),
            plan(counted("app", 127, 1), START_APP_1),
            plan(COMPLETED)),
        holding(
            new PlanInputs(
                Map.of(
                    "app", new PlanInput.CrashLoop(Duration.ofSeconds(7), Duration.ofSeconds(10))),
                Map.of(),
                Map.of()),
            row(
                "sandbox running, app exited 1 in crash back-off",
                seen(SB, APP_FAILED),
                plan(
                    new WaitBackoff(
                        Duration.ofSeconds(7),
                        "CrashLoopBackOff",
                        Map.of("app", new ContainerWaiting("CrashLoopBackOff", CRASH_LOOP))),
                    new ReportBackOff(APP, "app")),
                plan(
                    new WaitBackoff(
                        Duration.ofSeconds(7),
                        "CrashLoopBackOff",
                        Map.of("app", new ContainerWaiting("CrashLoopBackOff", CRASH_LOOP))),
                    new ReportBackOff(APP, "app")),
                plan(COMPLETED))),
        holding(
            new PlanInputs(
                Map.of(),
                Map.of("app", new PlanInput.StartHold(Duration.ofSeconds(5), PULL_BACKOFF)),
                Map.of()),
            row(
                "sandbox running, app absent, its pull held",
                seen(SB),
                plan(
                    new WaitBackoff(
                        Duration.ofSeconds(5), "start back-off", Map.of("app", PULL_BACKOFF))))),
        holding(
            new PlanInputs(
                Map.of(),
                Map.of("app", new PlanInput.StartHold(Duration.ofSeconds(5), PULL_BACKOFF)),
                Map.of()),
            row(
                "sandbox running, app exited 1, its restart's pull held",
                seen(SB, APP_FAILED),
                plan(
                    counted("app", 1, 1),
                    new WaitBackoff(
                        Duration.ofSeconds(5), "start back-off", Map.of("app", PULL_BACKOFF))),
                plan(
                    counted("app", 1, 1),
                    new WaitBackoff(
                        Duration.ofSeconds(5), "start back-off", Map.of("app", PULL_BACKOFF))),
                plan(COMPLETED))),
        holding(
            new PlanInputs(
                Map.of(),
                Map.of(),
                Map.of(
                    "c1", new PlanInput.Unhealthy("liveness probe failed", Duration.ofSeconds(5)))),
            row(
                "sandbox running, app running, its liveness probe failed",
                seen(SB, APP_RUNNING),
                plan(
                    new StopContainer(
                        APP_RUNNING,
                        Instances.SANDBOX_IP,
                        Duration.ofSeconds(5),
                        "liveness probe failed",
                        "Liveness probe failed")))),
        row(
            "sandbox running, app running, two older dead instances",
            seen(
                SB,
                MINE.appExited("c1", 0, "sb1", 1),
                MINE.appExited("c2", 1, "sb1", 1),
                MINE.app("c3", 2, "sb1", RUNNING)),
            plan(new RemoveDead(List.of("c1")))),
        // ---- init containers ----
        withInit(
            row(
                "no sandbox, init container pending",
                seen(),
                plan(new CreateSandbox(0), new StartContainer("init", INIT, 0)))),
        withInit(
            row(
                "sandbox running, init container pending",
                seen(SB),
                plan(new StartContainer("init", INIT, 0)))),
        withInit(row("sandbox running, init container running", seen(SB, INIT_RUNNING), plan())),
        withInit(
            row(
                "sandbox running, init container created but never started",
                seen(SB, INIT_CREATED),
                plan(new StartCreated(INIT_CREATED)))),
        withInit(
            row(
                "sandbox running, init container failed",
                seen(SB, INIT_FAILED),
                plan(counted("init", 1, 1), new StartContainer("init", INIT, 1)),
                plan(counted("init", 1, 1), new StartContainer("init", INIT, 1)),
                plan(COMPLETED))),
        withInit(
            row(
                "sandbox running, init container succeeded, app absent",
                seen(SB, INIT_OK),
                plan(START_APP_0))),
        withInit(
            row(
                "sandbox running, init container succeeded, app running",
                seen(SB, INIT_OK, APP_RUNNING),
                plan())),
        // ---- the incarnation ----
        row(
            "manifest edited: the old UID still runs",
            seen(OLD.sandbox("sb0", 0, RUNNING), OLD.app("c0", 0, "sb0", RUNNING)),
            plan(
                new KillPod(
                    List.of(OLD.sandbox("sb0", 0, RUNNING), OLD.app("c0", 0, "sb0", RUNNING)),
                    "manifest changed"),
                new CreateSandbox(0),
                START_APP_0)));
  }

  static Stream<Arguments> everyPolicyAndState() {
    return rows()
        .flatMap(
            r ->
                Stream.of(RestartPolicy.values())
                    .map(policy -> Arguments.of(r.state(), policy, r, r.expected(policy))));
  }

  private static StaticPod pod(RestartPolicy policy, boolean withInit) {
    TestPods b = TestPods.pod("web").uid("u1").restartPolicy(policy.apiValue());
    if (withInit) {
      b.initContainer("init", "busybox:1.36");
    }
    return b.container("app", "busybox:1.36").build();
  }

  private static PlanInput input(
      Optional<StaticPod> pod, boolean listed, List<RuntimeContainer> observed, PlanInputs holds) {
    return new PlanInput(
        Instances.WEB,
        pod,
        listed,
        observed,
        holds.crashLoops(),
        holds.startHolds(),
        holds.unhealthy(),
        HOST_IP);
  }

  private final PodPlanner planner = new PodPlanner();

  @ParameterizedTest(name = "{0} / {1}")
  @MethodSource("everyPolicyAndState")
  void plansTheKubeletsActions(
      String state, RestartPolicy policy, Row row, List<RuntimeAction> expected) {
    StaticPod pod = pod(policy, row.withInit());
    PodActions plan = planner.plan(input(Optional.of(pod), true, row.observed(), row.holds()));

    assertEquals(Intent.RUN, plan.intent());
    assertEquals(expected, plan.actions());
  }

  @Test
  void newContainersJoinTheRunningSandboxOrTheOneThePlanCreates() {
    StaticPod pod = pod(RestartPolicy.ALWAYS, false);
    assertEquals(
        Optional.of(SB),
        planner.plan(input(Optional.of(pod), true, seen(SB), PlanInputs.NONE)).sandbox());
    assertEquals(
        Optional.empty(),
        planner.plan(input(Optional.of(pod), true, seen(SB_DEAD), PlanInputs.NONE)).sandbox());
  }

  @Test
  void aDeletedManifestKillsEverythingOfEveryUid() {
    List<RuntimeContainer> observed = seen(SB, APP_RUNNING, OLD.app("c0", 3, "sb0", EXITED));

    PodActions plan = planner.plan(input(Optional.empty(), true, observed, PlanInputs.NONE));

    assertEquals(
        new PodActions(
            Intent.REMOVE, Optional.empty(), List.of(new KillPod(observed, "manifest removed"))),
        plan);
  }

  @Test
  void aDeletedManifestWithNothingLeftOnlyForgetsThePod() {
    assertEquals(
        new PodActions(Intent.REMOVE, Optional.empty(), List.of()),
        planner.plan(input(Optional.empty(), true, seen(), PlanInputs.NONE)));
  }

  @Test
  void nothingIsTouchedBeforeTheManifestsWereListed() {
    assertEquals(
        PodActions.waitForManifests(),
        planner.plan(input(Optional.empty(), false, seen(SB, APP_RUNNING), PlanInputs.NONE)));
  }

  @Test
  void everyStateIsPlannedUnderEveryPolicy() {
    assertEquals(rows().count() * RestartPolicy.values().length, everyPolicyAndState().count());
    assertEquals(
        List.of(RestartPolicy.ALWAYS, RestartPolicy.ON_FAILURE, RestartPolicy.NEVER),
        List.of(RestartPolicy.values()));
  }

  @Test
  void aNewSandboxUnderOnFailureStartsOnlyTheContainersThatDidNotSucceed() {
    StaticPod pod =
        TestPods.pod("web")
            .uid("u1")
            .restartPolicy("OnFailure")
            .container("done", "busybox:1.36")
            .container("busy", "busybox:1.36")
            .build();
    RuntimeContainer busy = MINE.app("c2", "busy", 0, "sb1", RUNNING);
    List<RuntimeContainer> observed =
        seen(SB_DEAD, MINE.appExited("c1", "done", 0, "sb1", 0), busy);

    PodActions plan = planner.plan(input(Optional.of(pod), true, observed, PlanInputs.NONE));

    assertEquals(
        List.of(
            new StopContainers(List.of(busy), Why.SANDBOX_GONE),
            new ReportSandboxChanged(),
            new CreateSandbox(1),
            new StartContainer("busy", APP, 1)),
        plan.actions(),
        "the container that exited 0 is not run again (the kubelet's containersToStart)");
  }

  @Test
  void theRestartCountOfANewInstanceFollowsTheLatestOfAnySandbox() {
    List<RuntimeContainer> observed =
        seen(
            MINE.sandbox("sb1", 0, EXITED),
            MINE.sandbox("sb2", 1, RUNNING),
            MINE.appExited("c4", 4, "sb1", 1));

    PodActions plan =
        planner.plan(
            input(Optional.of(pod(RestartPolicy.ALWAYS, false)), true, observed, PlanInputs.NONE));

    assertEquals(List.of(new StartContainer("app", ContainerRole.APP, 5)), plan.actions());
  }
}
