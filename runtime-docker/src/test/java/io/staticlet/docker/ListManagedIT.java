package io.staticlet.docker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.staticlet.core.container.SandboxSpecs;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.LifecycleHandler;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.runtime.RuntimeEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ListManagedIT extends DockerTestSupport {
  @Test
  void roundTripsRolesAttemptsAndStatesAcrossAnAgentRestart() {
    Container init = TestPods.shell("init", "echo initialised > /dev/termination-log").build();
    Container app =
        TestPods.shell("app", "sleep 3600")
            .withLifecycle(
                new LifecycleBuilder()
                    .withNewPreStop()
                    .withNewExec()
                    .withCommand("sh", "-c", "true")
                    .endExec()
                    .endPreStop()
                    .build())
            .build();
    StaticPod pod =
        pod("roles")
            .grace(12)
            .spec(
                s -> {
                  s.setInitContainers(List.of(init));
                  s.setContainers(List.of(app));
                })
            .build();

    String sandbox = runtime.startSandbox(SandboxSpecs.of(pod, 1));
    String ip = sandboxIp(sandbox);
    String initId = runtime.createContainer(launch(pod, init, ContainerRole.INIT, 0, sandbox, ip));
    runtime.start(initId);
    awaitState(initId, ContainerState.EXITED);
    String appId = runtime.createContainer(launch(pod, app, ContainerRole.APP, 2, sandbox, ip));
    runtime.start(appId);

    DockerContainerRuntime restarted =
        track(newRuntime(settings())); // nothing remembered in memory
    List<RuntimeContainer> all = restarted.listManaged(pod.key());
    assertEquals(3, all.size(), all.toString());
    assertEquals(
        java.util.Set.of(sandbox, initId, appId),
        restarted.listManaged().stream()
            .filter(c -> c.pod().equals(pod.key()))
            .map(RuntimeContainer::id)
            .collect(java.util.stream.Collectors.toSet()),
        "the engine-filtered per-pod listing agrees with the full listing");

    RuntimeContainer sb = byId(all, sandbox);
    assertEquals(ContainerRole.SANDBOX, sb.role());
    assertEquals("POD", sb.name());
    assertEquals(1, sb.attempt());
    assertEquals(ContainerState.RUNNING, sb.state());
    assertEquals(ip, sb.ip());
    assertFalse(sb.ip().isEmpty());
    assertEquals(pod.uid(), sb.podUid());
    assertEquals(TestPods.PAUSE, sb.image());
    assertTrue(sb.imageId().startsWith("sha256:"));
    assertNull(sb.startedAt(), "a running sandbox is read from the listing alone, not inspected");

    RuntimeContainer i = byId(all, initId);
    assertEquals(ContainerRole.INIT, i.role());
    assertEquals(0, i.attempt());
    assertEquals(ContainerState.EXITED, i.state());
    assertEquals(0, i.exitCode());
    assertEquals("Completed", i.reason());
    assertEquals("initialised\n", i.message());
    assertEquals(sandbox, i.sandboxId());
    assertNotNull(i.finishedAt());
    assertFalse(i.finishedAt().isBefore(i.startedAt()));

    RuntimeContainer a = byId(all, appId);
    assertEquals(ContainerRole.APP, a.role());
    assertEquals(2, a.attempt());
    assertEquals(ContainerState.RUNNING, a.state());
    assertEquals("", a.reason());
    assertNull(a.finishedAt());
    assertEquals(Duration.ofSeconds(12), a.gracePeriod());
    assertEquals(Optional.of(new LifecycleHandler.Exec(List.of("sh", "-c", "true"))), a.preStop());
    assertEquals("", a.ip(), "only sandboxes report an IP");
    assertEquals(TestPods.BUSYBOX, a.image());
  }

  @Test
  void reportsErrorExitWithTheTerminationMessage() {
    RuntimeContainer failed =
        runToExit("fail", TestPods.shell("c", "echo 'disk full' > /dev/termination-log; exit 3"));
    assertEquals(3, failed.exitCode());
    assertEquals("Error", failed.reason());
    assertEquals("disk full\n", failed.message());
  }

  @Test
  void fallsBackToTheLogTailWhenTheMessageFileIsEmptyOnError() {
    RuntimeContainer failed =
        runToExit(
            "fallback",
            TestPods.shell("c", "echo first; echo last words; exit 1")
                .withTerminationMessagePolicy("FallbackToLogsOnError"));
    assertEquals("Error", failed.reason());
    assertEquals("first\nlast words\n", failed.message());
  }

  @Test
  void honoursACustomTerminationMessagePath() {
    RuntimeContainer done =
        runToExit(
            "custompath",
            TestPods.shell("c", "echo custom > /tmp/why").withTerminationMessagePath("/tmp/why"));
    assertEquals("custom\n", done.message());
  }

  @Test
  void reportsOomKilled() {
    RuntimeContainer oom =
        runToExit(
            "oom",
            TestPods.shell("c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived")
                .withResources(
                    new ResourceRequirementsBuilder()
                        .addToLimits("memory", new Quantity("16Mi"))
                        .build()));
    assertEquals("OOMKilled", oom.reason());
    assertEquals(137, oom.exitCode());
  }

  @Test
  void reportsContainerCannotRunWhenTheEngineCannotStartIt() {
    StaticPod pod =
        pod("cannotrun").container(TestPods.container("c").withCommand("/does/not/exist")).build();
    String sandbox = runtime.startSandbox(SandboxSpecs.of(pod, 0));
    Container c = pod.pod().getSpec().getContainers().get(0);
    String id =
        runtime.createContainer(launch(pod, c, ContainerRole.APP, 0, sandbox, sandboxIp(sandbox)));
    var e = assertThrows(ContainerSpecRejectedException.class, () -> runtime.start(id));
    assertTrue(e.getMessage().contains("/does/not/exist"), e.getMessage());

    RuntimeContainer listed = find(id);
    assertEquals("ContainerCannotRun", listed.reason());
    assertTrue(listed.message().contains("/does/not/exist"), listed.message());
  }

  @Test
  void seesChangesMadeBehindItsBackDespiteCachingInspects() {
    StaticPod pod =
        pod("behind").container(TestPods.container("c").withCommand("sleep", "3600")).build();
    String id = start(pod).id("c");
    RuntimeContainer running = awaitState(id, ContainerState.RUNNING);
    assertEquals(running, find(id), "a steady container reads the same from the cache");

    docker.killContainerCmd(id).exec(); // not through the runtime: only the list state tells
    RuntimeContainer killed = awaitState(id, ContainerState.EXITED);
    assertEquals(137, killed.exitCode());
    assertEquals("Error", killed.reason());
    assertEquals(running.startedAt(), killed.startedAt());
  }

  @Test
  void inspectsOnlyContainersWhoseListStateChangedAndNeverARunningSandbox() {
    List<String> inspected = new CopyOnWriteArrayList<>();
    DockerClient counting =
        (DockerClient)
            Proxy.newProxyInstance(
                DockerClient.class.getClassLoader(),
                new Class<?>[] {DockerClient.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("inspectContainerCmd")) {
                    inspected.add((String) args[0]);
                  }
                  try {
                    return method.invoke(docker, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    DockerContainerRuntime observed =
        new DockerContainerRuntime(
            settings(), counting, counting, DockerEventWatch.defaultThreads());
    List<Started> pods = new ArrayList<>();
    for (int n = 0; n < 10; n++) {
      pods.add(
          start(
              pod("many" + n)
                  .container(TestPods.container("c").withCommand("sleep", "3600"))
                  .build()));
    }
    List<String> apps = pods.stream().map(p -> p.id("c")).toList();
    List<String> sandboxes = pods.stream().map(Started::sandbox).toList();

    observed.listManaged();
    assertTrue(inspected.containsAll(apps), "every new container is inspected once: " + inspected);
    assertTrue(
        sandboxes.stream().noneMatch(inspected::contains),
        "a running sandbox is read from the listing alone");

    inspected.clear();
    for (int n = 0; n < 20; n++) {
      assertEquals(
          20,
          observed.listManaged().stream()
              .filter(c -> apps.contains(c.id()) || sandboxes.contains(c.id()))
              .count());
    }
    assertEquals(List.of(), inspected, "steady containers are not inspected again");

    docker.stopContainerCmd(apps.get(0)).withTimeout(0).exec();
    docker.stopContainerCmd(sandboxes.get(1)).withTimeout(0).exec();
    List<RuntimeContainer> after = observed.listManaged();
    assertEquals(
        ContainerState.EXITED,
        after.stream().filter(c -> c.id().equals(apps.get(0))).findFirst().orElseThrow().state());
    RuntimeContainer stoppedSandbox =
        after.stream().filter(c -> c.id().equals(sandboxes.get(1))).findFirst().orElseThrow();
    assertEquals(ContainerState.EXITED, stoppedSandbox.state());
    assertNotNull(stoppedSandbox.finishedAt(), "an exited sandbox is inspected");
    assertEquals(
        java.util.Set.of(apps.get(0), sandboxes.get(1)),
        java.util.Set.copyOf(inspected),
        "only the changed containers are inspected");
  }

  @Test
  void ignoresContainersOfOtherNodesSharingTheEngine() {
    DockerContainerRuntime otherNode =
        track(
            newRuntime(
                new DockerRuntimeSettings(
                    ENDPOINT, TestPods.PAUSE, rootDir, node + "-other", null)));
    List<RuntimeEvent> otherEvents = new CopyOnWriteArrayList<>();
    track(otherNode.watch(otherEvents::add));
    List<RuntimeEvent> ownEvents = new CopyOnWriteArrayList<>();
    track(runtime.watch(ownEvents::add));
    StaticPod theirs =
        pod("theirs").node(node + "-other").container(TestPods.container("c")).build();
    String theirSandbox = otherNode.startSandbox(SandboxSpecs.of(theirs, 0));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> otherEvents.stream().anyMatch(e -> e.containerId().equals(theirSandbox)));

    StaticPod pod =
        pod("mine").container(TestPods.container("c").withCommand("sleep", "3600")).build();
    String id = start(pod).id("c");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ownEvents.stream().anyMatch(e -> e.containerId().equals(id)));
    assertTrue(otherNode.listManaged().stream().noneMatch(c -> c.pod().equals(pod.key())));
    assertTrue(
        otherEvents.stream().noneMatch(e -> e.pod().equals(pod.key())), otherEvents.toString());
    assertTrue(runtime.listManaged().stream().noneMatch(c -> c.id().equals(theirSandbox)));
    assertTrue(ownEvents.stream().noneMatch(e -> e.containerId().equals(theirSandbox)));
  }

  private static RuntimeContainer byId(List<RuntimeContainer> all, String id) {
    return all.stream()
        .filter(c -> c.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " in " + all));
  }
}
