package io.staticlet.docker;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.staticlet.core.container.ContainerLaunches;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.ContainerRuntimeContract;
import io.staticlet.core.runtime.ExecResult;
import io.staticlet.core.testing.DefaultedPods;
import io.staticlet.core.volume.PodDirectories;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime contract on the real Docker engine (image {@code staticlet/busybox:1.36}). Every test
 * has its own pod namespace and node, and everything of that namespace is force-removed afterwards
 * (as {@link DockerTestSupport} does).
 */
class DockerContainerRuntimeContractIT extends ContainerRuntimeContract {
  @TempDir Path rootDir;
  private String namespace;
  private String node;
  private DockerContainerRuntime runtime;

  @BeforeAll
  static void requireDocker() throws Exception {
    DockerTestSupport.requireDockerAndImages();
  }

  @AfterAll
  static void closeClient() throws Exception {
    DockerTestSupport.closeClient();
  }

  @BeforeEach
  void newRuntime() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    namespace = "it-" + run;
    node = "it-node-" + run;
    runtime =
        DockerContainerRuntime.create(
            new DockerRuntimeSettings(
                DockerTestSupport.ENDPOINT, TestPods.PAUSE, rootDir, node, null));
  }

  @AfterEach
  void removeEverythingOfThisTest() throws Exception {
    try {
      runtime.close();
    } finally {
      DockerTestSupport.removeEverythingIn(namespace);
    }
  }

  @Override
  protected ContainerRuntime runtime() {
    return runtime;
  }

  @Override
  protected PodDirectories podDirectories() {
    return new PodDirectories(rootDir);
  }

  @Override
  protected ContainerLaunches launches() {
    return ContainerLaunches.onNode(rootDir);
  }

  @Override
  protected DefaultedPods.Builder pod(String name) {
    return DefaultedPods.pod(name).namespace(namespace).node(node);
  }

  @Override
  protected ContainerBuilder runsUntilStopped(String name) {
    return DefaultedPods.shell(name, "trap 'exit 0' TERM; sleep 3600 & wait");
  }

  @Override
  protected ContainerBuilder exitsWith(String name, int exitCode, String message) {
    return DefaultedPods.shell(
        name, "printf '%s' '" + message + "' > /dev/termination-log; exit " + exitCode);
  }

  @Override
  protected List<String> execPrinting(String output, int exitCode) {
    return List.of("sh", "-c", "echo '" + output + "'; exit " + exitCode);
  }

  /**
   * Reads {@code /proc/1/environ} and {@code /proc/1/cmdline} inside the container (NUL-separated).
   */
  @Override
  protected Observed observe(String containerId) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : procFile(containerId, "environ")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return new Observed(env, procFile(containerId, "cmdline"));
  }

  private List<String> procFile(String containerId, String file) {
    ExecResult result =
        runtime.exec(
            containerId,
            List.of("sh", "-c", "tr '\\0' '\\n' < /proc/1/" + file),
            Duration.ofSeconds(10));
    return Arrays.stream(result.output().split("\n")).filter(s -> !s.isEmpty()).toList();
  }
}
