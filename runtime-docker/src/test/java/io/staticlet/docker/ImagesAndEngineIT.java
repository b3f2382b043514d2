package io.staticlet.docker;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.staticlet.core.container.SandboxSpecs;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ImagePullException;
import io.staticlet.core.runtime.PullPolicy;
import io.staticlet.core.runtime.RuntimeUnavailableException;
import org.junit.jupiter.api.Test;

class ImagesAndEngineIT extends DockerTestSupport {
  private static final String MISSING = "staticlet/does-not-exist:0.0.0";

  @Test
  void missingImageWithPolicyNeverIsErrImageNeverPull() {
    var e =
        assertThrows(
            ImagePullException.class, () -> runtime.ensureImage(MISSING, PullPolicy.NEVER));
    assertTrue(
        e.getMessage().contains("ErrImageNeverPull") && e.getMessage().contains(MISSING),
        e.getMessage());
  }

  @Test
  void presentImagesNeedNoPull() {
    assertDoesNotThrow(() -> runtime.ensureImage(TestPods.BUSYBOX, PullPolicy.NEVER));
    assertDoesNotThrow(() -> runtime.ensureImage(TestPods.BUSYBOX, PullPolicy.IF_NOT_PRESENT));
  }

  @Test
  void createsNothingForAContainerWhoseImageIsMissing() {
    StaticPod pod =
        pod("noimage")
            .container(TestPods.container("c").withImage(MISSING).withImagePullPolicy("Never"))
            .build();
    String sandbox = runtime.startSandbox(SandboxSpecs.of(pod, 0));
    Container c = pod.pod().getSpec().getContainers().get(0);
    assertThrows(
        ImagePullException.class,
        () -> runtime.createContainer(launch(pod, c, ContainerRole.APP, 0, sandbox, "")));
    assertEquals(1, runtime.listManaged(pod.key()).size());
  }

  @Test
  void reportsEngineVersionAndHostIp() {
    assertTrue(runtime.version().matches("\\d+\\.\\d+.*"), runtime.version());
    assertTrue(runtime.hostIp().matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), runtime.hostIp());
    assertFalse(runtime.hostIp().startsWith("172.17."), "not Docker's bridge: " + runtime.hostIp());
    DockerContainerRuntime overridden = track(newRuntime(settings().withHostIp("192.0.2.10")));
    assertEquals("192.0.2.10", overridden.hostIp());
  }

  @Test
  void anUnreachableEngineIsUnavailable() {
    DockerContainerRuntime nowhere =
        track(newRuntime(settings().withEndpoint("unix://" + rootDir.resolve("missing.sock"))));
    assertThrows(RuntimeUnavailableException.class, nowhere::version);
    assertThrows(RuntimeUnavailableException.class, nowhere::listManaged);
  }
}
