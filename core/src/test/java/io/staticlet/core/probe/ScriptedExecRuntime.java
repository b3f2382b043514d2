package io.staticlet.core.probe;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.runtime.ContainerLaunch;
import io.staticlet.core.runtime.ContainerRuntime;
import io.staticlet.core.runtime.ExecResult;
import io.staticlet.core.runtime.PullPolicy;
import io.staticlet.core.runtime.RuntimeContainer;
import io.staticlet.core.runtime.SandboxSpec;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A runtime that only runs exec, answering what the test scripted (an ExecResult or an exception).
 */
final class ScriptedExecRuntime implements ContainerRuntime {
  private volatile Supplier<ExecResult> next = () -> new ExecResult(0, "", false);
  volatile List<String> lastCommand;
  volatile Duration lastTimeout;

  void answer(ExecResult result) {
    next = () -> result;
  }

  void fail(RuntimeException e) {
    next =
        () -> {
          throw e;
        };
  }

  @Override
  public ExecResult exec(String containerId, List<String> command, Duration timeout) {
    lastCommand = command;
    lastTimeout = timeout;
    return next.get();
  }

  @Override
  public List<RuntimeContainer> listManaged() {
    throw new UnsupportedOperationException();
  }

  @Override
  public void ensureImage(String image, PullPolicy pullPolicy) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String startSandbox(SandboxSpec sandbox) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String createContainer(ContainerLaunch launch) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void start(String containerId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void stop(String containerId, Duration grace) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void remove(String containerId) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void removePodResources(PodKey pod, String podUid) {
    throw new UnsupportedOperationException();
  }

  @Override
  public String hostIp() {
    return "192.0.2.10";
  }

  @Override
  public String version() {
    return "scripted";
  }

  @Override
  public AutoCloseable watch(Consumer<io.staticlet.core.runtime.RuntimeEvent> listener) {
    return () -> {};
  }
}
