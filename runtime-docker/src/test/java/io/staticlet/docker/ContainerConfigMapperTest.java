package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.staticlet.core.container.ContainerLaunches;
import io.staticlet.core.container.NodeCapacity;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerLaunch;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.volume.PodDirectories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerConfigMapperTest {
  @TempDir Path root;

  /**
   * Core resolves the container, the mapper translates it: what createContainer sends to Docker.
   */
  private CreateContainerCmd map(StaticPod pod, int index, String imageUser) {
    ContainerLaunches launches =
        new ContainerLaunches(
            new PodDirectories(root), root.resolve("seccomp"), new NodeCapacity(2000, 1L << 30));
    ContainerConfigMapper mapper =
        new ContainerConfigMapper(new SecurityContextMapper(image -> imageUser), TestPods.NODE);
    var spec = pod.pod().getSpec().getContainers().get(index);
    ContainerLaunch launch =
        launches.resolve(pod, spec, ContainerRole.APP, 1, "sb123", "172.17.0.9", "10.0.0.1");
    return mapper.apply(TestPods.createCmd(spec.getImage()), launch);
  }

  @Test
  void joinsTheSandboxAndLeavesRestartsAndHealthToTheAgent() {
    StaticPod pod =
        TestPods.pod("web")
            .container(
                TestPods.shell("app", "echo $(GREETING)")
                    .withEnv(
                        TestPods.env("GREETING", "hi"), TestPods.fieldRef("IP", "status.podIP"))
                    .withWorkingDir("/tmp")
                    .withTty(true))
            .build();
    CreateContainerCmd cmd = map(pod, 0, "");
    var hc = cmd.getHostConfig();
    assertEquals(DockerNames.container("app", pod.key(), pod.uid(), 1), cmd.getName());
    assertEquals("container:sb123", hc.getNetworkMode());
    assertEquals("container:sb123", hc.getIpcMode());
    assertNull(hc.getPidMode());
    assertNull(hc.getOomScoreAdj(), "app containers keep the default OOM score");
    assertEquals(com.github.dockerjava.api.model.RestartPolicy.noRestart(), hc.getRestartPolicy());
    assertEquals(List.of("NONE"), cmd.getHealthcheck().getTest());
    assertArrayEquals(new String[] {"sh", "-c", "echo hi"}, cmd.getEntrypoint());
    assertNull(cmd.getCmd());
    assertArrayEquals(new String[] {"GREETING=hi", "IP=172.17.0.9"}, cmd.getEnv());
    assertEquals("/tmp", cmd.getWorkingDir());
    assertTrue(cmd.isTty());
    assertEquals(
        "seccomp=unconfined", hc.getSecurityOpts().get(0), "the kubelet's default with Docker");
    Bind termination =
        Arrays.stream(hc.getBinds())
            .filter(b -> b.getVolume().getPath().equals("/dev/termination-log"))
            .findFirst()
            .orElseThrow();
    assertTrue(Files.exists(Path.of(termination.getPath())));
  }

  @Test
  void mapsSecurityContextWithPodFallback() {
    StaticPod pod =
        TestPods.pod("web")
            .container(
                TestPods.container("app")
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
                            .withSupplementalGroups(3000L)
                            .withFsGroup(4000L)
                            .build()))
            .build();
    CreateContainerCmd cmd = map(pod, 0, "");
    var hc = cmd.getHostConfig();
    assertEquals("1000:2000", cmd.getUser());
    assertTrue(hc.getReadonlyRootfs());
    assertArrayEquals(new Capability[] {Capability.NET_ADMIN, Capability.SYS_TIME}, hc.getCapAdd());
    assertArrayEquals(new Capability[] {Capability.ALL}, hc.getCapDrop());
    assertEquals(List.of("3000", "4000"), hc.getGroupAdd());
    assertTrue(hc.getSecurityOpts().contains("no-new-privileges"));
  }

  @Test
  void groupWithoutUserUsesTheImageUser() {
    StaticPod pod =
        TestPods.pod("web")
            .container(
                TestPods.container("app")
                    .withSecurityContext(new SecurityContextBuilder().withRunAsGroup(7L).build()))
            .build();
    assertEquals("nobody:7", map(pod, 0, "nobody:nogroup").getUser());
    assertEquals("0:7", map(pod, 0, "").getUser());
  }

  @Test
  void refusesRunAsNonRootWhenTheContainerWouldRunAsRoot() {
    StaticPod pod =
        TestPods.pod("web")
            .container(
                TestPods.container("app")
                    .withSecurityContext(
                        new SecurityContextBuilder().withRunAsNonRoot(true).build()))
            .build();
    assertThrows(ContainerSpecRejectedException.class, () -> map(pod, 0, ""));
    assertEquals("", map(pod, 0, "1000").getUser() == null ? "" : map(pod, 0, "1000").getUser());
  }

  @Test
  void privilegedContainersGetNoCapabilityOrSeccompChanges() {
    StaticPod pod =
        TestPods.pod("web")
            .container(
                TestPods.container("app")
                    .withSecurityContext(
                        new SecurityContextBuilder()
                            .withPrivileged(true)
                            .withCapabilities(
                                new CapabilitiesBuilder().withAdd("NET_ADMIN").build())
                            .build()))
            .build();
    var hc = map(pod, 0, "").getHostConfig();
    assertTrue(hc.getPrivileged());
    assertNull(hc.getCapAdd());
    assertNull(hc.getSecurityOpts());
  }

  @Test
  void mountsVolumesWithReadOnlyAndSubPath() throws Exception {
    Path host = Files.createDirectories(root.resolve("host"));
    StaticPod pod =
        TestPods.pod("web")
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
                TestPods.container("app")
                    .withEnv(TestPods.fieldRef("POD", "metadata.name"))
                    .withVolumeMounts(
                        new VolumeMountBuilder()
                            .withName("cfg")
                            .withMountPath("/etc/cfg")
                            .withReadOnly(true)
                            .build(),
                        new VolumeMountBuilder()
                            .withName("cache")
                            .withMountPath("/cache")
                            .withSubPathExpr("$(POD)/c")
                            .build(),
                        new VolumeMountBuilder().withName("mem").withMountPath("/run/mem").build()))
            .build();
    var hc = map(pod, 0, "").getHostConfig();
    Bind cfg = bindAt(hc.getBinds(), "/etc/cfg");
    assertEquals(host.toString(), cfg.getPath());
    assertEquals(AccessMode.ro, cfg.getAccessMode());
    Bind cache = bindAt(hc.getBinds(), "/cache");
    Path expected =
        root.resolve("pods/" + pod.uid() + "/volumes/kubernetes.io~empty-dir/cache/web-node1/c");
    assertEquals(expected.toString(), cache.getPath());
    assertTrue(Files.isDirectory(expected), "subPath is created before the container starts");
    assertEquals(AccessMode.rw, cache.getAccessMode());
    assertEquals("rw", hc.getTmpFs().get("/run/mem"));
  }

  @Test
  void refusesSubPathsLeavingTheVolumeAndUnknownVolumes() {
    StaticPod escape =
        TestPods.pod("web")
            .volume(new VolumeBuilder().withName("cache").withNewEmptyDir().endEmptyDir().build())
            .container(
                TestPods.container("app")
                    .withVolumeMounts(
                        new VolumeMountBuilder()
                            .withName("cache")
                            .withMountPath("/c")
                            .withSubPath("../../etc")
                            .build()))
            .build();
    assertThrows(ContainerSpecRejectedException.class, () -> map(escape, 0, ""));
    StaticPod unknown =
        TestPods.pod("web")
            .container(
                TestPods.container("app")
                    .withVolumeMounts(
                        new VolumeMountBuilder().withName("nope").withMountPath("/c").build()))
            .build();
    var e = assertThrows(ContainerSpecRejectedException.class, () -> map(unknown, 0, ""));
    assertTrue(e.getMessage().contains("nope"));
  }

  @Test
  void mapsCgroupResources() {
    StaticPod pod =
        TestPods.pod("web")
            .container(
                TestPods.container("app")
                    .withResources(
                        new ResourceRequirementsBuilder()
                            .addToLimits("memory", new Quantity("128Mi"))
                            .addToLimits("cpu", new Quantity("500m"))
                            .addToRequests("cpu", new Quantity("250m"))
                            .build()))
            .build();
    var hc = map(pod, 0, "").getHostConfig();
    assertEquals(128L * 1024 * 1024, hc.getMemory());
    assertEquals(100_000L, hc.getCpuPeriod());
    assertEquals(50_000L, hc.getCpuQuota());
    assertEquals(256, hc.getCpuShares());
    var none =
        map(TestPods.pod("web").container(TestPods.container("app")).build(), 0, "")
            .getHostConfig();
    assertEquals(2, none.getCpuShares());
    assertNull(none.getMemory());
    assertNull(none.getCpuQuota());
  }

  @Test
  void sharesThePidNamespaceWhenAsked() {
    StaticPod shared =
        TestPods.pod("web")
            .container(TestPods.container("app"))
            .spec(s -> s.setShareProcessNamespace(true))
            .build();
    assertEquals("container:sb123", map(shared, 0, "").getHostConfig().getPidMode());
    StaticPod host =
        TestPods.pod("web")
            .container(TestPods.container("app"))
            .spec(
                s -> {
                  s.setHostPID(true);
                  s.setHostNetwork(true);
                })
            .build();
    var hc = map(host, 0, "").getHostConfig();
    assertEquals("host", hc.getPidMode());
    assertEquals("host", hc.getUtSMode());
  }

  private static Bind bindAt(Bind[] binds, String target) {
    return Arrays.stream(binds)
        .filter(b -> b.getVolume().getPath().equals(target))
        .findFirst()
        .orElseThrow();
  }
}
