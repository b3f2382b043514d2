package io.staticlet.core.testing;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.staticlet.core.container.ContainerLaunches;
import io.staticlet.core.container.NodeCapacity;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.ContainerRuntimeContract;
import io.staticlet.core.runtime.ContainerSpec;
import io.staticlet.core.runtime.ExecResult;
import io.staticlet.core.volume.PodDirectories;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The fake engine core's tests use keeps the contract the real ones keep. */
class FakeContainerRuntimeContractTest extends ContainerRuntimeContract {
  private static final String RUNS = "fake/runs-until-stopped:1";

  @TempDir Path root;
  private PodDirectories dirs;
  private FakeContainerRuntime runtime;

  @BeforeEach
  void newRuntime() {
    dirs = new PodDirectories(root);
    runtime = new FakeContainerRuntime(new ManualClock(), dirs);
  }

  @Override
  protected ContainerRuntime runtime() {
    return runtime;
  }

  @Override
  protected PodDirectories podDirectories() {
    return dirs;
  }

  @Override
  protected ContainerLaunches launches() {
    return new ContainerLaunches(dirs, root.resolve("seccomp"), new NodeCapacity(2000, 4L << 30));
  }

  @Override
  protected DefaultedPods.Builder pod(String name) {
    return DefaultedPods.pod(name);
  }

  @Override
  protected ContainerBuilder runsUntilStopped(String name) {
    return DefaultedPods.container(name).withImage(RUNS).withCommand("/bin/serve");
  }

  @Override
  protected ContainerBuilder exitsWith(String name, int exitCode, String message) {
    String image = "fake/exits-" + exitCode + "-" + Integer.toHexString(message.hashCode()) + ":1";
    runtime.exitsOnStart(image, exitCode, message);
    return DefaultedPods.container(name).withImage(image);
  }

  @Override
  protected List<String> execPrinting(String output, int exitCode) {
    List<String> command = List.of("print", output, Integer.toString(exitCode));
    runtime.answerExec(command, new ExecResult(exitCode, output + "\n", false));
    return command;
  }

  @Override
  protected Observed observe(String containerId) {
    ContainerSpec spec = runtime.launch(containerId).spec();
    Map<String, String> env = new LinkedHashMap<>();
    spec.env().forEach(e -> env.put(e.name(), e.value()));
    List<String> argv = new ArrayList<>(spec.command());
    argv.addAll(spec.args());
    return new Observed(env, argv);
  }
}
