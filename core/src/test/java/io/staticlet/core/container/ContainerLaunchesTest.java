package io.staticlet.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerConfigRejectedException;
import io.staticlet.core.runtime.ContainerLaunch;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerSpec;
import io.staticlet.core.runtime.ContainerSpec.EnvEntry;
import io.staticlet.core.runtime.ContainerSpec.Mount;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.runtime.LifecycleHandler;
import io.staticlet.core.runtime.MountPropagation;
import io.staticlet.core.runtime.PodNamespaces;
import io.staticlet.core.runtime.PullPolicy;
import io.staticlet.core.runtime.TerminationMessagePolicy;
import io.staticlet.core.testing.DefaultedPods;
import io.staticlet.core.volume.PodDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLaunchesTest {
  @TempDir Path root;

  private ContainerLaunch resolve(StaticPod pod) {
    ContainerLaunches launches =
        new ContainerLaunches(
            new PodDirectories(root), root.resolve("seccomp"), new NodeCapacity(2000, 1L << 30));
    Container c = pod.pod().getSpec().getContainers().get(0);
    return launches.resolve(pod, c, ContainerRole.APP, 3, "sb1", "172.17.0.9", "10.0.0.1");
  }

  private ContainerSpec resolve(ContainerBuilder container) {
    return resolve(
            DefaultedPods.pod("web")
                .container(
                    container.withEnv(
                        DefaultedPods.env("NAME", "world"), DefaultedPods.env("PORT", "8080")))
                .build())
        .spec();
  }

  @Test
  void commandReplacesImageEntrypointAndArgsBecomeCmd() {
    ContainerSpec spec =
        resolve(
            DefaultedPods.container("c").withCommand("/bin/server").withArgs("--port", "$(PORT)"));
    assertEquals(List.of("/bin/server"), spec.command());
    assertEquals(List.of("--port", "8080"), spec.args());
  }

  @Test
  void commandAloneLeavesArgsEmptySoTheImageCmdIsDropped() {
    ContainerSpec spec =
        resolve(DefaultedPods.container("c").withCommand("sh", "-c", "echo $(NAME)"));
    assertEquals(List.of("sh", "-c", "echo world"), spec.command());
    assertEquals(List.of(), spec.args());
  }

  @Test
  void argsAloneKeepTheImageEntrypoint() {
    ContainerSpec spec = resolve(DefaultedPods.container("c").withArgs("hello", "$(NAME)"));
    assertEquals(List.of(), spec.command());
    assertEquals(List.of("hello", "world"), spec.args());
  }

  @Test
  void neitherUsesImageDefaults() {
    ContainerSpec spec = resolve(DefaultedPods.container("c"));
    assertEquals(List.of(), spec.command());
    assertEquals(List.of(), spec.args());
  }

  @Test
  void escapedAndUnknownReferencesStayLiteral() {
    ContainerSpec spec =
        resolve(
            DefaultedPods.container("c").withCommand("echo", "$$(NAME)", "$(MISSING)", "$NAME"));
    assertEquals(List.of("echo", "$(NAME)", "$(MISSING)", "$NAME"), spec.command());
  }

  @Test
  void carriesIdentityEnvironmentAndTheValuesTheRuntimeRecords() {
    Container app =
        DefaultedPods.shell("app", "echo $(GREETING)")
            .withEnv(
                DefaultedPods.env("GREETING", "hi"),
                DefaultedPods.fieldRef("IP", "status.podIP"),
                DefaultedPods.fieldRef("HOST", "status.hostIP"))
            .withWorkingDir("/tmp")
            .withTty(true)
            .withImagePullPolicy("Never")
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .withLifecycle(
                new LifecycleBuilder()
                    .withStopSignal("SIGUSR1")
                    .withNewPreStop()
                    .withNewExec()
                    .withCommand("sh", "-c", "sleep 1")
                    .endExec()
                    .endPreStop()
                    .build())
            .withResources(
                new ResourceRequirementsBuilder()
                    .addToLimits("memory", new Quantity("64Mi"))
                    .addToLimits("cpu", new Quantity("500m"))
                    .addToRequests("cpu", new Quantity("0.1"))
                    .build())
            .build();
    StaticPod pod =
        DefaultedPods.pod("web")
            .grace(45)
            .container(app)
            .spec(s -> s.setShareProcessNamespace(true))
            .build();

    ContainerLaunch launch = resolve(pod);

    assertEquals(pod.key(), launch.pod());
    assertEquals(pod.uid(), launch.podUid());
    assertEquals(3, launch.attempt());
    assertEquals("sb1", launch.sandboxId());
    assertEquals(Duration.ofSeconds(45), launch.gracePeriod());
    assertEquals(new PodNamespaces(false, false, true), launch.namespaces());
    ContainerSpec spec = launch.spec();
    assertEquals(List.of("sh", "-c", "echo hi"), spec.command());
    assertEquals(
        List.of(
            new EnvEntry("GREETING", "hi"),
            new EnvEntry("IP", "172.17.0.9"),
            new EnvEntry("HOST", "10.0.0.1")),
        spec.env());
    assertEquals(PullPolicy.NEVER, spec.pullPolicy());
    assertEquals("/tmp", spec.workingDir());
    assertTrue(spec.terminal().tty());
    assertFalse(spec.terminal().stdin());
    assertEquals(new ContainerSpec.Resources(64L << 20, 102, 50_000, 100_000), spec.resources());
    assertEquals("SIGUSR1", spec.stopSignal());
    assertEquals(
        Optional.of(new LifecycleHandler.Exec(List.of("sh", "-c", "sleep 1"))), spec.preStop());
    assertEquals("/dev/termination-log", spec.terminationMessagePath());
    assertEquals(
        TerminationMessagePolicy.FALLBACK_TO_LOGS_ON_ERROR, spec.terminationMessagePolicy());
    assertEquals(ContainerHash.of(app), spec.hash());
    Mount termination =
        spec.mounts().stream()
            .filter(m -> m.containerPath().equals("/dev/termination-log"))
            .findFirst()
            .orElseThrow();
    assertEquals(
        root.resolve("pods/" + pod.uid() + "/containers/app/3/termination-log").toString(),
        termination.hostPath());
    assertTrue(
        Files.exists(Path.of(termination.hostPath())), "the file exists before the container");
  }

  @Test
  void resolvesMountsWithReadOnlySubPathExprAndPropagation() throws Exception {
    Path host = Files.createDirectories(root.resolve("host"));
    StaticPod pod =
        DefaultedPods.pod("web")
            .volume(
                new VolumeBuilder()
                    .withName("cfg")
                    .withNewHostPath()
                    .withPath(host.toString())
                    .withType("Directory")
                    .endHostPath()
                    .build())
            .volume(new VolumeBuilder().withName("cache").withNewEmptyDir().endEmptyDir().build())
            .volume(
                new VolumeBuilder()
                    .withName("mem")
                    .withNewEmptyDir()
                    .withMedium("Memory")
                    .endEmptyDir()
                    .build())
            .container(
                DefaultedPods.container("app")
                    .withEnv(DefaultedPods.fieldRef("POD", "metadata.name"))
                    .withVolumeMounts(
                        new VolumeMountBuilder()
                            .withName("cfg")
                            .withMountPath("/etc/cfg")
                            .withReadOnly(true)
                            .withMountPropagation("HostToContainer")
                            .build(),
                        new VolumeMountBuilder()
                            .withName("cache")
                            .withMountPath("/cache")
                            .withSubPathExpr("$(POD)/c")
                            .build(),
                        new VolumeMountBuilder()
                            .withName("mem")
                            .withMountPath("/run/mem")
                            .withReadOnly(true)
                            .build()))
            .build();

    ContainerSpec spec = resolve(pod).spec();

    Path cache =
        root.resolve("pods/" + pod.uid() + "/volumes/kubernetes.io~empty-dir/cache/web-node1/c");
    assertEquals(
        List.of(
            new Mount(host.toString(), "/etc/cfg", true, MountPropagation.HOST_TO_CONTAINER),
            new Mount(cache.toString(), "/cache", false, MountPropagation.NONE),
            new Mount(
                root.resolve("pods/" + pod.uid() + "/containers/app/3/termination-log").toString(),
                "/dev/termination-log",
                false,
                MountPropagation.NONE)),
        spec.mounts());
    assertTrue(Files.isDirectory(cache), "subPath is created before the container starts");
    assertEquals(List.of(new ContainerSpec.TmpfsMount("/run/mem", true)), spec.tmpfs());
  }

  @Test
  void refusesSubPathsLeavingTheVolumeAndUnknownVolumes() throws Exception {
    StaticPod escape =
        DefaultedPods.pod("web")
            .volume(new VolumeBuilder().withName("cache").withNewEmptyDir().endEmptyDir().build())
            .container(
                DefaultedPods.container("app")
                    .withVolumeMounts(
                        new VolumeMountBuilder()
                            .withName("cache")
                            .withMountPath("/c")
                            .withSubPath("../../etc")
                            .build()))
            .build();
    assertThrows(ContainerSpecRejectedException.class, () -> resolve(escape));
    Path volume = Files.createDirectories(root.resolve("vol"));
    Files.createSymbolicLink(volume.resolve("out"), Path.of("/etc"));
    StaticPod link =
        DefaultedPods.pod("web")
            .volume(
                new VolumeBuilder()
                    .withName("v")
                    .withNewHostPath()
                    .withPath(volume.toString())
                    .endHostPath()
                    .build())
            .container(
                DefaultedPods.container("app")
                    .withVolumeMounts(
                        new VolumeMountBuilder()
                            .withName("v")
                            .withMountPath("/c")
                            .withSubPath("out")
                            .build()))
            .build();
    assertThrows(ContainerConfigRejectedException.class, () -> resolve(link));
    StaticPod unknown =
        DefaultedPods.pod("web")
            .container(
                DefaultedPods.container("app")
                    .withVolumeMounts(
                        new VolumeMountBuilder().withName("nope").withMountPath("/c").build()))
            .build();
    var e = assertThrows(ContainerSpecRejectedException.class, () -> resolve(unknown));
    assertTrue(e.getMessage().contains("nope"));
  }

  @Test
  void mergesTheSecurityContextContainerOverPod() {
    StaticPod pod =
        DefaultedPods.pod("web")
            .container(
                DefaultedPods.container("app")
                    .withSecurityContext(
                        new SecurityContextBuilder()
                            .withRunAsUser(1000L)
                            .withReadOnlyRootFilesystem(true)
                            .withAllowPrivilegeEscalation(false)
                            .withCapabilities(
                                new CapabilitiesBuilder()
                                    .withAdd("NET_ADMIN", "CAP_SYS_TIME")
                                    .withDrop("ALL")
                                    .build())
                            .build()))
            .spec(
                s ->
                    s.setSecurityContext(
                        new PodSecurityContextBuilder()
                            .withRunAsUser(5L)
                            .withRunAsGroup(2000L)
                            .withRunAsNonRoot(true)
                            .withSupplementalGroups(3000L, 4000L)
                            .withFsGroup(4000L)
                            .withSeccompProfile(
                                new SeccompProfileBuilder().withType("RuntimeDefault").build())
                            .build()))
            .build();

    ContainerSpec.Security security = resolve(pod).spec().security();

    assertEquals(
        new ContainerSpec.Security(
            1000L,
            2000L,
            true,
            List.of(3000L, 4000L),
            false,
            true,
            List.of("NET_ADMIN", "CAP_SYS_TIME"),
            List.of("ALL"),
            true,
            new ContainerSpec.Seccomp(ContainerSpec.Seccomp.Type.RUNTIME_DEFAULT, "")),
        security);
  }

  @Test
  void localhostSeccompProfilesMustStayInTheSeccompDirectory() {
    StaticPod inside = seccomp("Localhost", "audit.json");
    assertEquals(
        new ContainerSpec.Seccomp(
            ContainerSpec.Seccomp.Type.LOCALHOST, root.resolve("seccomp/audit.json").toString()),
        resolve(inside).spec().security().seccomp());
    assertThrows(
        ContainerSpecRejectedException.class, () -> resolve(seccomp("Localhost", "../etc/passwd")));
    assertThrows(ContainerSpecRejectedException.class, () -> resolve(seccomp("Localhost", "")));
    assertThrows(ContainerSpecRejectedException.class, () -> resolve(seccomp("Tight", "")));
    assertEquals(
        ContainerSpec.Seccomp.Type.UNCONFINED,
        resolve(seccomp("Unconfined", "")).spec().security().seccomp().type());
  }

  @Test
  void privilegedContainersIgnoreTheSeccompProfile() {
    StaticPod pod =
        DefaultedPods.pod("web")
            .container(
                DefaultedPods.container("app")
                    .withSecurityContext(
                        new SecurityContextBuilder()
                            .withPrivileged(true)
                            .withSeccompProfile(
                                new SeccompProfileBuilder()
                                    .withType("Localhost")
                                    .withLocalhostProfile("../x")
                                    .build())
                            .build()))
            .build();
    assertTrue(resolve(pod).spec().security().privileged());
  }

  private StaticPod seccomp(String type, String profile) {
    return DefaultedPods.pod("web")
        .container(
            DefaultedPods.container("app")
                .withSecurityContext(
                    new SecurityContextBuilder()
                        .withSeccompProfile(
                            new SeccompProfileBuilder()
                                .withType(type)
                                .withLocalhostProfile(profile)
                                .build())
                        .build()))
        .build();
  }

  @Test
  void hooksBecomeValuesFirstActionWins() {
    var exec =
        new io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder()
            .withNewExec()
            .withCommand("true")
            .endExec()
            .withNewSleep(5L)
            .build();
    assertEquals(new LifecycleHandler.Exec(List.of("true")), LifecycleHandlers.of(exec));
    var http =
        new io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder()
            .withNewHttpGet()
            .withPath("/quit")
            .withNewPort("admin")
            .withHost("h")
            .withScheme("HTTPS")
            .addNewHttpHeader("X", "1")
            .endHttpGet()
            .build();
    assertEquals(
        new LifecycleHandler.HttpGet(
            "HTTPS", "h", "admin", "/quit", List.of(new LifecycleHandler.Header("X", "1"))),
        LifecycleHandlers.of(http));
    assertEquals(
        new LifecycleHandler.Sleep(3),
        LifecycleHandlers.of(
            new io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder()
                .withNewSleep(3L)
                .build()));
    assertEquals(
        new LifecycleHandler.Empty(),
        LifecycleHandlers.of(new io.fabric8.kubernetes.api.model.LifecycleHandler()));
  }
}
