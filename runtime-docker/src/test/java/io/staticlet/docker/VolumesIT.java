package io.staticlet.docker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.staticlet.core.container.SandboxSpecs;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerConfigRejectedException;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerSpecRejectedException;
import io.staticlet.core.runtime.ExecResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumesIT extends DockerTestSupport {
  @Test
  void refusesAContainerWhoseHostPathFailsItsTypeCheck() {
    Path missing = rootDir.resolve("no-such-dir");
    StaticPod pod =
        pod("hostpath")
            .volume(
                new VolumeBuilder()
                    .withName("certs")
                    .withNewHostPath()
                    .withPath(missing.toString())
                    .withType("Directory")
                    .endHostPath()
                    .build())
            .container(
                TestPods.shell("c", "sleep 3600")
                    .withVolumeMounts(
                        new VolumeMountBuilder().withName("certs").withMountPath("/certs").build()))
            .build();
    String sandbox = runtime.startSandbox(SandboxSpecs.of(pod, 0));
    Container c = pod.pod().getSpec().getContainers().get(0);

    var e =
        assertThrows(
            ContainerSpecRejectedException.class,
            () -> runtime.createContainer(launch(pod, c, ContainerRole.APP, 0, sandbox, "")));
    assertTrue(
        e.getMessage().contains("\"certs\"") && e.getMessage().contains(missing.toString()),
        e.getMessage());
    assertEquals(1, runtime.listManaged(pod.key()).size(), "only the sandbox exists");
  }

  @Test
  void mountsHostPathsCreatingDirectoriesAndHonouringReadOnly() throws Exception {
    Path created = rootDir.resolve("host/created");
    Path config = Files.createDirectories(rootDir.resolve("host/config"));
    Files.writeString(config.resolve("app.conf"), "key=value\n");
    StaticPod pod =
        pod("hostpaths")
            .volume(
                new VolumeBuilder()
                    .withName("data")
                    .withNewHostPath()
                    .withPath(created.toString())
                    .withType("DirectoryOrCreate")
                    .endHostPath()
                    .build())
            .volume(
                new VolumeBuilder()
                    .withName("config")
                    .withNewHostPath()
                    .withPath(config.toString())
                    .endHostPath()
                    .build())
            .container(
                TestPods.shell("c", "echo written > /data/out; sleep 3600")
                    .withVolumeMounts(
                        new VolumeMountBuilder().withName("data").withMountPath("/data").build(),
                        new VolumeMountBuilder()
                            .withName("config")
                            .withMountPath("/etc/app")
                            .withReadOnly(true)
                            .build(),
                        new VolumeMountBuilder()
                            .withName("config")
                            .withMountPath("/etc/app.conf")
                            .withSubPath("app.conf")
                            .build()))
            .build();
    String id = start(pod).id("c");

    assertEquals(
        "rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(created)));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(created.resolve("out")));
    assertEquals("written\n", Files.readString(created.resolve("out")));
    ExecResult readOnly =
        runtime.exec(
            id, List.of("sh", "-c", "cat /etc/app.conf; touch /etc/app/x"), Duration.ofSeconds(10));
    assertTrue(
        readOnly.output().contains("key=value\n"),
        readOnly.output()); // stdout and stderr may interleave either way
    assertTrue(
        readOnly.exitCode() != 0 && readOnly.output().contains("Read-only"), readOnly.output());
  }

  @Test
  void sharesAnEmptyDirBetweenContainersAndRemovesItWithThePodResources() {
    StaticPod pod =
        pod("emptydir")
            .volume(new VolumeBuilder().withName("shared").withNewEmptyDir().endEmptyDir().build())
            .container(
                TestPods.shell("writer", "echo hello > /shared/greeting; sleep 3600")
                    .withVolumeMounts(
                        new VolumeMountBuilder()
                            .withName("shared")
                            .withMountPath("/shared")
                            .build()))
            .container(
                TestPods.shell("reader", "sleep 3600")
                    .withVolumeMounts(
                        new VolumeMountBuilder()
                            .withName("shared")
                            .withMountPath("/in")
                            .withReadOnly(true)
                            .build()))
            .build();
    var started = start(pod);
    Path dir = rootDir.resolve("pods/" + pod.uid() + "/volumes/kubernetes.io~empty-dir/shared");

    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("greeting")));
    assertEquals("rwxrwxrwx", PosixFilePermissions.toString(uncheckedPermissions(dir)));
    assertEquals(
        "hello\n",
        runtime
            .exec(started.id("reader"), List.of("cat", "/in/greeting"), Duration.ofSeconds(10))
            .output());

    for (String id : started.containers().values()) {
      runtime.stop(id, Duration.ofSeconds(2));
      runtime.remove(id);
    }
    runtime.removePodResources(pod.key(), pod.uid());
    assertFalse(Files.exists(rootDir.resolve("pods/" + pod.uid())));
    runtime.removePodResources(pod.key(), pod.uid()); // idempotent
  }

  @Test
  void refusesASubPathThroughASymlinkAContainerPlantedToTheHostRoot() throws Exception {
    Path marker = Files.writeString(rootDir.resolve("host-marker"), "host\n");
    StaticPod pod =
        pod("subpath-escape")
            .volume(new VolumeBuilder().withName("shared").withNewEmptyDir().endEmptyDir().build())
            .container(
                TestPods.shell("planter", "ln -s / /shared/x; sleep 3600")
                    .withVolumeMounts(
                        new VolumeMountBuilder()
                            .withName("shared")
                            .withMountPath("/shared")
                            .build()))
            .container(
                TestPods.shell("victim", "sleep 3600")
                    .withVolumeMounts(
                        new VolumeMountBuilder()
                            .withName("shared")
                            .withMountPath("/host")
                            .withSubPath("x")
                            .build()))
            .build();
    String sandbox = runtime.startSandbox(SandboxSpecs.of(pod, 0));
    Container planter = pod.pod().getSpec().getContainers().get(0);
    runtime.start(runtime.createContainer(launch(pod, planter, ContainerRole.APP, 0, sandbox, "")));
    Path link = rootDir.resolve("pods/" + pod.uid() + "/volumes/kubernetes.io~empty-dir/shared/x");
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.isSymbolicLink(link));

    Container victim = pod.pod().getSpec().getContainers().get(1);
    var e =
        assertThrows(
            ContainerConfigRejectedException.class,
            () -> runtime.createContainer(launch(pod, victim, ContainerRole.APP, 0, sandbox, "")));
    assertTrue(
        e.getMessage().contains("volume \"shared\"")
            && e.getMessage().contains("subPath \"x\"")
            && e.getMessage().contains("outside the volume"),
        e.getMessage());
    assertEquals(2, runtime.listManaged(pod.key()).size(), "the victim was never created");
    assertEquals("host\n", Files.readString(marker));
  }

  @Test
  void mountsAMemoryEmptyDirAsTmpfs() {
    StaticPod pod =
        pod("tmpfs")
            .volume(
                new VolumeBuilder()
                    .withName("mem")
                    .withNewEmptyDir()
                    .withMedium("Memory")
                    .endEmptyDir()
                    .build())
            .container(
                TestPods.shell("c", "sleep 3600")
                    .withVolumeMounts(
                        new VolumeMountBuilder().withName("mem").withMountPath("/mem").build()))
            .build();
    String id = start(pod).id("c");
    ExecResult mounts =
        runtime.exec(id, List.of("sh", "-c", "grep ' /mem ' /proc/mounts"), Duration.ofSeconds(10));
    assertTrue(mounts.output().startsWith("tmpfs /mem tmpfs rw"), mounts.output());
  }

  private static java.util.Set<java.nio.file.attribute.PosixFilePermission> uncheckedPermissions(
      Path p) {
    try {
      return Files.getPosixFilePermissions(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
