package io.staticlet.docker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.staticlet.core.container.ContainerLaunches;
import io.staticlet.core.container.SandboxSpecs;
import io.staticlet.core.pod.StaticPod;
import io.staticlet.core.runtime.ContainerLaunch;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.testing.DefaultedPods;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real-engine test support in the spirit of docker-java's {@code DockerRule}/{@code DockerAssume}:
 * skips when no engine answers, builds the two local images if missing ({@code
 * deploy/images/build-images.sh}, idempotent, no registry), gives every test its own pod namespace
 * ({@code io.kubernetes.pod.namespace=it-<random>} is on everything the runtime creates, so it is
 * the per-run label) and force-removes by that label afterwards.
 */
abstract class DockerTestSupport {
  static final String ENDPOINT =
      System.getenv()
          .getOrDefault("STATICLET_DOCKER_ENDPOINT", DockerRuntimeSettings.DEFAULT_ENDPOINT);

  static DockerClient docker;

  @TempDir Path rootDir;

  /** Per test: the pod namespace (the per-run label) and the node the runtime manages. */
  String namespace;

  String node;
  DockerContainerRuntime runtime;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void requireDockerAndImages() throws Exception {
    docker = DockerClientFactory.forCommands(ENDPOINT);
    try {
      docker.pingCmd().exec();
    } catch (RuntimeException e) {
      assumeTrue(false, "no Docker engine answers at " + ENDPOINT + ": " + e);
    }
    if (!imagePresent(TestPods.PAUSE) || !imagePresent(TestPods.BUSYBOX)) {
      Path script = findUp(Path.of("deploy/images/build-images.sh"));
      if (script != null) {
        Process p = new ProcessBuilder("bash", script.toString()).inheritIO().start();
        p.waitFor(10, TimeUnit.MINUTES);
      }
    }
    assumeTrue(
        imagePresent(TestPods.PAUSE) && imagePresent(TestPods.BUSYBOX),
        "test images missing: run deploy/images/build-images.sh");
  }

  @AfterAll
  static void closeClient() throws IOException {
    if (docker != null) {
      docker.close();
    }
  }

  @BeforeEach
  void newRuntime() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    namespace = "it-" + run;
    node = "it-node-" + run;
    runtime = track(newRuntime(settings()));
  }

  @AfterEach
  void removeEverythingOfThisTest() throws Exception {
    java.util.Collections.reverse(toClose); // last opened, first closed
    for (AutoCloseable c : toClose) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort
      }
    }
    removeEverythingIn(namespace);
  }

  /** Force-removes every container of the test namespace {@code namespace} (the per-run label). */
  static void removeEverythingIn(String namespace) {
    List<com.github.dockerjava.api.model.Container> leftovers =
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(DockerLabels.POD_NAMESPACE, namespace))
            .exec();
    for (com.github.dockerjava.api.model.Container c : leftovers) {
      try {
        docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
      } catch (NotFoundException gone) {
        // fine
      }
    }
  }

  DockerRuntimeSettings settings() {
    return new DockerRuntimeSettings(ENDPOINT, TestPods.PAUSE, rootDir, node, null);
  }

  DockerContainerRuntime newRuntime(DockerRuntimeSettings settings) {
    return DockerContainerRuntime.create(settings);
  }

  <T extends AutoCloseable> T track(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  /**
   * What the reconciler would hand the runtime: core resolves the container against this test's
   * root directory.
   */
  ContainerLaunch launch(
      StaticPod pod,
      Container container,
      ContainerRole role,
      int attempt,
      String sandbox,
      String podIp) {
    return ContainerLaunches.onNode(rootDir)
        .resolve(pod, container, role, attempt, sandbox, podIp, runtime.hostIp());
  }

  DefaultedPods.Builder pod(String name) {
    return TestPods.pod(name).namespace(namespace).node(node);
  }

  /** A running sandbox with every app container created and started. */
  Started start(StaticPod pod) {
    String sandbox = runtime.startSandbox(SandboxSpecs.of(pod, 0));
    String ip = sandboxIp(sandbox);
    Map<String, String> ids = new LinkedHashMap<>();
    for (var c : pod.pod().getSpec().getContainers()) {
      String id = runtime.createContainer(launch(pod, c, ContainerRole.APP, 0, sandbox, ip));
      runtime.start(id);
      ids.put(c.getName(), id);
    }
    return new Started(sandbox, ip, ids);
  }

  record Started(String sandbox, String podIp, Map<String, String> containers) {
    String id(String container) {
      return containers.get(container);
    }
  }

  /**
   * Runs a one-container pod and waits until the container exited; returns what listManaged says.
   */
  RuntimeContainer runToExit(String podName, ContainerBuilder container) {
    StaticPod pod = pod(podName).container(container).build();
    String id = start(pod).id(container.build().getName());
    return awaitState(id, ContainerState.EXITED);
  }

  RuntimeContainer awaitState(String id, ContainerState state) {
    return await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> find(id), c -> c != null && c.state() == state);
  }

  RuntimeContainer find(String id) {
    return runtime.listManaged().stream().filter(c -> c.id().equals(id)).findFirst().orElse(null);
  }

  String sandboxIp(String sandboxId) {
    var settings = inspect(sandboxId).getNetworkSettings();
    return settings.getNetworks().values().stream()
        .map(n -> n.getIpAddress())
        .filter(ip -> ip != null && !ip.isEmpty())
        .findFirst()
        .orElse("");
  }

  static InspectContainerResponse inspect(String id) {
    return docker.inspectContainerCmd(id).exec();
  }

  static boolean imagePresent(String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  private static Path findUp(Path relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
