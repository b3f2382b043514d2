package io.staticlet.core.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.staticlet.core.container.ContainerLaunches;
import io.staticlet.core.container.SandboxSpecs;
import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.testing.DefaultedPods;
import io.staticlet.core.volume.PodDirectories;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContainerRuntime} must do, whatever engine is behind it: one test class per
 * implementation extends this one ({@code FakeContainerRuntimeContractTest} in core, {@code
 * DockerContainerRuntimeContractIT} on the real engine). The subclass supplies the runtime, the
 * node's pod directories and workloads its engine can run; the tests only use the port and what
 * core hands it ({@link ContainerLaunches}), as the reconciler does.
 */
public abstract class ContainerRuntimeContract {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The runtime under test, fresh for each test and scoped to this test's pods. */
  protected abstract ContainerRuntime runtime();

  /** The node's pod directories that the runtime's {@code removePodResources} cleans. */
  protected abstract PodDirectories podDirectories();

  /** Resolves containers against {@link #podDirectories()}. */
  protected abstract ContainerLaunches launches();

  /** A pod in this test's namespace on the runtime's node. */
  protected abstract DefaultedPods.Builder pod(String name);

  /**
   * A container that runs until it is stopped and then exits on SIGTERM; {@code args} are passed to
   * it.
   */
  protected abstract ContainerBuilder runsUntilStopped(String name);

  /**
   * A container that ends by itself with {@code exitCode}, having written {@code message} as its
   * termination message.
   */
  protected abstract ContainerBuilder exitsWith(String name, int exitCode, String message);

  /**
   * A command that prints {@code output} and exits with {@code exitCode} when exec'd in a running
   * container.
   */
  protected abstract List<String> execPrinting(String output, int exitCode);

  /**
   * The environment and the argument vector of a running container's main process, as the container
   * sees them.
   */
  protected abstract Observed observe(String containerId);

  /** What a container's main process was started with. */
  public record Observed(Map<String, String> env, List<String> argv) {}

  // ---- helpers ----

  private String sandbox(StaticPod pod) {
    return runtime().startSandbox(SandboxSpecs.of(pod, 0));
  }

  private RuntimeContainer find(String id) {
    return runtime().listManaged().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
  }

  private RuntimeContainer awaitContainer(String id, Predicate<RuntimeContainer> condition) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> find(id), c -> c != null && condition.test(c));
  }

  private String podIp(StaticPod pod, String sandboxId) {
    return pod.hostNetwork() ? runtime().hostIp() : find(sandboxId).ip();
  }

  private String create(
      StaticPod pod, Container container, ContainerRole role, int attempt, String sandboxId) {
    return runtime()
        .createContainer(
            launches()
                .resolve(
                    pod,
                    container,
                    role,
                    attempt,
                    sandboxId,
                    podIp(pod, sandboxId),
                    runtime().hostIp()));
  }

  private String run(StaticPod pod, String sandboxId) {
    Container container = pod.pod().getSpec().getContainers().get(0);
    String id = create(pod, container, ContainerRole.APP, 0, sandboxId);
    runtime().start(id);
    return id;
  }

  // ---- the contract ----

  @Test
  void listManagedShowsWhatWasCreatedWithIdentityRoleAttemptAndPreStop() {
    Container app =
        runsUntilStopped("app")
            .withLifecycle(
                new LifecycleBuilder()
                    .withNewPreStop()
                    .withNewHttpGet()
                    .withPath("/quit")
                    .withNewPort("admin")
                    .addNewHttpHeader("X-Drain", "1")
                    .endHttpGet()
                    .endPreStop()
                    .build())
            .build();
    Container init = exitsWith("init", 0, "").build();
    StaticPod pod =
        pod("listed").grace(17).initContainer(new ContainerBuilder(init)).container(app).build();
    String sandboxId = sandbox(pod);
    String initId = create(pod, init, ContainerRole.INIT, 0, sandboxId);
    String appId = create(pod, app, ContainerRole.APP, 2, sandboxId);

    List<RuntimeContainer> listed = runtime().listManaged(pod.key());

    assertEquals(3, listed.size(), listed.toString());
    RuntimeContainer sandbox =
        listed.stream().filter(c -> c.id().equals(sandboxId)).findFirst().orElseThrow();
    assertEquals(ContainerRole.SANDBOX, sandbox.role());
    assertTrue(sandbox.isSandbox());
    assertEquals(ContainerState.RUNNING, sandbox.state());
    assertEquals(0, sandbox.attempt());
    assertEquals(pod.uid(), sandbox.podUid());
    assertFalse(sandbox.ip().isEmpty(), "a sandbox has the pod's IP");
    RuntimeContainer initC =
        listed.stream().filter(c -> c.id().equals(initId)).findFirst().orElseThrow();
    assertEquals(ContainerRole.INIT, initC.role());
    assertEquals("init", initC.name());
    RuntimeContainer appC =
        listed.stream().filter(c -> c.id().equals(appId)).findFirst().orElseThrow();
    assertEquals(pod.key(), appC.pod());
    assertEquals(pod.uid(), appC.podUid());
    assertEquals("app", appC.name());
    assertEquals(ContainerRole.APP, appC.role());
    assertEquals(2, appC.attempt());
    assertEquals(sandboxId, appC.sandboxId());
    assertEquals(ContainerState.CREATED, appC.state());
    assertFalse(appC.hasTerminated());
    assertEquals(app.getImage(), appC.image());
    assertEquals(Duration.ofSeconds(17), appC.gracePeriod());
    assertEquals(
        Optional.of(
            new LifecycleHandler.HttpGet(
                "", "", "admin", "/quit", List.of(new LifecycleHandler.Header("X-Drain", "1")))),
        appC.preStop());
    assertEquals(Optional.empty(), initC.preStop());
    assertNull(appC.startedAt());
    assertNull(appC.finishedAt());
    assertTrue(
        runtime().listManaged().stream()
            .map(RuntimeContainer::id)
            .toList()
            .containsAll(List.of(sandboxId, initId, appId)));
  }

  @Test
  void listManagedOfAPodShowsOnlyThatPod() {
    StaticPod one = pod("one").container(runsUntilStopped("c")).build();
    StaticPod two = pod("two").container(runsUntilStopped("c")).build();
    String sandboxOne = sandbox(one);
    String sandboxTwo = sandbox(two);

    assertEquals(
        List.of(sandboxOne),
        runtime().listManaged(one.key()).stream().map(RuntimeContainer::id).toList());
    assertEquals(
        List.of(sandboxTwo),
        runtime().listManaged(two.key()).stream().map(RuntimeContainer::id).toList());
  }

  @Test
  void managedPodsNamesEveryPodWithContainersRunningOrNot() {
    StaticPod running = pod("listed-running").container(runsUntilStopped("c")).build();
    StaticPod stopped = pod("listed-stopped").container(runsUntilStopped("c")).build();
    StaticPod removed = pod("listed-removed").container(runsUntilStopped("c")).build();
    sandbox(running);
    String stoppedSandbox = sandbox(stopped);
    String removedSandbox = sandbox(removed);
    runtime().stop(stoppedSandbox, Duration.ofSeconds(5));
    runtime().stop(removedSandbox, Duration.ofSeconds(5));
    runtime().remove(removedSandbox);

    Set<PodKey> pods = runtime().managedPods();

    assertTrue(pods.containsAll(Set.of(running.key(), stopped.key())), "listed: " + pods);
    assertFalse(pods.contains(removed.key()), "listed: " + pods);
    assertEquals(
        runtime().listManaged().stream().map(RuntimeContainer::pod).collect(Collectors.toSet()),
        pods);
  }

  @Test
  void startRunsTheContainerAndIsIdempotent() {
    StaticPod pod = pod("started").container(runsUntilStopped("c")).build();
    String id = run(pod, sandbox(pod));

    runtime().start(id);

    RuntimeContainer running = awaitContainer(id, RuntimeContainer::isRunning);
    assertNotNull(running.startedAt());
    assertNull(running.finishedAt());
    assertFalse(running.hasTerminated());
  }

  @Test
  void stopEndsTheContainerAndIsIdempotent() {
    StaticPod pod = pod("stopped").container(runsUntilStopped("c")).build();
    String id = run(pod, sandbox(pod));
    awaitContainer(id, RuntimeContainer::isRunning);

    runtime().stop(id, Duration.ofSeconds(5));
    runtime().stop(id, Duration.ofSeconds(5));

    RuntimeContainer stopped = awaitContainer(id, c -> c.state() == ContainerState.EXITED);
    assertTrue(stopped.hasTerminated());
    assertNotNull(stopped.finishedAt());
    assertFalse(
        stopped.finishedAt().isBefore(stopped.startedAt()),
        "finished " + stopped.finishedAt() + " started " + stopped.startedAt());
  }

  @Test
  void stopAndRemoveOfAMissingContainerSucceed() {
    assertDoesNotThrow(() -> runtime().stop("0123456789abcdef-missing", Duration.ofSeconds(2)));
    assertDoesNotThrow(() -> runtime().remove("0123456789abcdef-missing"));
  }

  @Test
  void startAndExecOfAMissingContainerAreNotFound() {
    assertThrows(
        ContainerNotFoundException.class, () -> runtime().start("0123456789abcdef-missing"));
    assertThrows(
        ContainerNotFoundException.class,
        () -> runtime().exec("0123456789abcdef-missing", List.of("true"), Duration.ofSeconds(2)));
  }

  @Test
  void removeTakesTheContainerOutOfTheListingAndIsIdempotent() {
    StaticPod pod = pod("removed").container(runsUntilStopped("c")).build();
    String sandboxId = sandbox(pod);
    String id = run(pod, sandboxId);
    runtime().stop(id, Duration.ofSeconds(5));

    runtime().remove(id);
    runtime().remove(id);

    assertEquals(
        List.of(sandboxId),
        runtime().listManaged(pod.key()).stream().map(RuntimeContainer::id).toList());
  }

  @Test
  void exitCodeReasonFinishedAtAndTerminationMessageAreVisible() {
    StaticPod failing = pod("failing").container(exitsWith("c", 3, "went wrong")).build();
    String failed = run(failing, sandbox(failing));
    StaticPod completing = pod("completing").container(exitsWith("c", 0, "all done")).build();
    String completed = run(completing, sandbox(completing));

    RuntimeContainer f = awaitContainer(failed, c -> c.state() == ContainerState.EXITED);
    assertEquals(3, f.exitCode());
    assertEquals(3, f.effectiveExitCode());
    assertEquals("Error", f.reason());
    assertEquals("went wrong", f.message());
    assertNotNull(f.finishedAt());
    assertTrue(f.hasTerminated());
    RuntimeContainer c = awaitContainer(completed, x -> x.state() == ContainerState.EXITED);
    assertEquals(0, c.exitCode());
    assertEquals("Completed", c.reason());
    assertEquals("all done", c.message());
  }

  @Test
  void execReturnsTheCommandsExitCodeAndOutput() {
    StaticPod pod = pod("exec").container(runsUntilStopped("c")).build();
    String id = run(pod, sandbox(pod));
    awaitContainer(id, RuntimeContainer::isRunning);

    ExecResult result =
        runtime().exec(id, execPrinting("hello from exec", 4), Duration.ofSeconds(10));

    assertEquals(4, result.exitCode());
    assertFalse(result.timedOut());
    assertFalse(result.succeeded());
    assertTrue(result.output().contains("hello from exec"), result.output());
  }

  @Test
  void environmentAndArgumentsArriveAsCoreResolvedThem() {
    Container c =
        runsUntilStopped("c")
            .addToArgs("$(GREETING)", "$$(LITERAL)")
            .withEnv(
                DefaultedPods.env("NAME", "world"),
                DefaultedPods.env("GREETING", "hello-$(NAME)"),
                DefaultedPods.fieldRef("POD_NAME", "metadata.name"),
                DefaultedPods.fieldRef("POD_IP", "status.podIP"))
            .build();
    StaticPod pod = pod("env").container(c).build();
    String sandboxId = sandbox(pod);
    String id = run(pod, sandboxId);
    awaitContainer(id, RuntimeContainer::isRunning);

    Observed observed = observe(id);

    assertEquals("world", observed.env().get("NAME"));
    assertEquals("hello-world", observed.env().get("GREETING"));
    assertEquals(pod.key().name(), observed.env().get("POD_NAME"));
    assertEquals(podIp(pod, sandboxId), observed.env().get("POD_IP"));
    List<String> argv = observed.argv();
    assertEquals(
        List.of("hello-world", "$(LITERAL)"),
        argv.subList(argv.size() - 2, argv.size()),
        argv.toString());
  }

  @Test
  void watchReportsTheDeathOfAManagedContainer() throws Exception {
    List<RuntimeEvent> events = new CopyOnWriteArrayList<>();
    StaticPod pod = pod("watched").container(runsUntilStopped("c")).build();
    try (AutoCloseable watch = runtime().watch(events::add)) {
      String id = run(pod, sandbox(pod));
      awaitContainer(id, RuntimeContainer::isRunning);

      runtime().stop(id, Duration.ofSeconds(5));

      await()
          .atMost(WAIT)
          .until(
              () ->
                  events.stream()
                      .anyMatch(
                          e ->
                              e.containerId().equals(id)
                                  && e.pod().equals(pod.key())
                                  && e.action().equals("die")));
    }
  }

  @Test
  void removePodResourcesDeletesThePodsFilesAndIsIdempotent() {
    StaticPod pod =
        pod("files")
            .volume(new VolumeBuilder().withName("scratch").withNewEmptyDir().endEmptyDir().build())
            .container(
                runsUntilStopped("c")
                    .withVolumeMounts(
                        new VolumeMountBuilder()
                            .withName("scratch")
                            .withMountPath("/scratch")
                            .build()))
            .build();
    String id = run(pod, sandbox(pod));
    runtime().stop(id, Duration.ofSeconds(5));
    runtime().remove(id);
    assertTrue(
        Files.isDirectory(podDirectories().emptyDir(pod.uid(), "scratch")),
        "core made the emptyDir");

    runtime().removePodResources(pod.key(), pod.uid());
    runtime().removePodResources(pod.key(), pod.uid());

    assertFalse(Files.exists(podDirectories().pod(pod.uid())));
  }

  @Test
  void hostIpAndVersionAnswer() {
    assertFalse(runtime().hostIp().isEmpty());
    assertFalse(runtime().version().isEmpty());
  }
}
