package io.staticlet.core.runtime;

import io.staticlet.core.pod.PodKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The container engine as core sees it. Everything crossing it is a core value (records, enums):
 * core decides the Kubernetes semantics ({@link ContainerLaunch} is fully resolved), the runtime
 * maps them to its engine.
 *
 * <p>Concurrency: implementations must be thread-safe; the reconcile workers call it for different
 * pods in parallel, probes and the kubelet API from their own threads. Every method may block on
 * the engine (bounded by the implementation's timeouts), so callers must not hold locks others
 * need. Failures are reported with the unchecked exceptions of this package: {@link
 * RuntimeUnavailableException} (transient, retry later), {@link ContainerNotFoundException}
 * (already gone), {@link ImagePullException} and {@link ContainerSpecRejectedException} (need a
 * manifest change or back-off). The behaviour every implementation must have is pinned by the
 * contract test suite {@code ContainerRuntimeContract} in core's test jar.
 */
public interface ContainerRuntime {
  /**
   * Every container and sandbox carrying staticlet's labels, running or not: the actual state.
   * Never cached.
   */
  List<RuntimeContainer> listManaged();

  /**
   * The pods that have managed containers (any state) on this node, from their labels only: what
   * the orphan sweep needs, at the cost of one listing, without reading each container's details.
   */
  default Set<PodKey> managedPods() {
    return listManaged().stream().map(RuntimeContainer::pod).collect(Collectors.toSet());
  }

  /** Managed containers of one pod (all UIDs). */
  default List<RuntimeContainer> listManaged(PodKey pod) {
    return listManaged().stream().filter(c -> c.pod().equals(pod)).toList();
  }

  /**
   * Makes sure {@code image} is present according to the Kubernetes pull policy. May block for the
   * whole pull.
   *
   * @throws ImagePullException when the image is missing and cannot be pulled
   */
  void ensureImage(String image, PullPolicy pullPolicy);

  /**
   * Creates and starts the pod's sandbox for {@code sandbox.attempt()}; returns its ID. Makes sure
   * the sandbox image is present first. A sandbox that could not be started is not left behind.
   *
   * @throws ContainerSpecRejectedException when the engine refuses it (a host port taken, ...)
   */
  String startSandbox(SandboxSpec sandbox);

  /**
   * Creates (does not start) an init or app container in a running sandbox, exactly as {@code
   * launch} says (its labels let {@link #listManaged()} report it, its preStop included); returns
   * its ID. The caller made the image present first ({@link #ensureImage}); a missing image is an
   * {@link ImagePullException}.
   *
   * @throws ContainerSpecRejectedException when the engine refuses the configuration
   */
  String createContainer(ContainerLaunch launch);

  /**
   * Starts a created or exited container. Starting a running container succeeds.
   *
   * @throws ContainerSpecRejectedException when the engine cannot run it (the instance stays,
   *     {@link RuntimeContainer#hasTerminated() terminated} with a reason)
   * @throws ContainerNotFoundException when there is no such container
   */
  void start(String containerId);

  /**
   * Stops a container: SIGTERM, then SIGKILL after {@code grace}. Idempotent: stopping a stopped or
   * missing container succeeds. Runs no hooks (core runs preStop first).
   */
  void stop(String containerId, Duration grace);

  /** Removes a stopped container. Idempotent: a missing container is not an error. */
  void remove(String containerId);

  /**
   * Runs a command inside a running container and waits at most {@code timeout} (then the result is
   * {@link ExecResult#timedOut() timed out}); the output is stdout and stderr together.
   */
  ExecResult exec(String containerId, List<String> command, Duration timeout);

  /**
   * Streams the logs of a container instance (running or exited) to {@code sink} and returns at
   * once; closing the handle stops the stream. {@code sink.end} is called exactly once.
   *
   * @throws ContainerNotFoundException when the engine has no such container
   */
  default AutoCloseable streamLogs(String containerId, LogQuery query, LogSink sink) {
    throw new UnsupportedOperationException("this runtime serves no container logs");
  }

  /**
   * Starts {@code command} in a running container with its streams connected to the caller ({@code
   * kubectl exec}); the output goes to {@code output} until the process ends.
   */
  default StreamingProcess execStreaming(
      String containerId, List<String> command, StreamingOptions options, ProcessOutput output) {
    throw new UnsupportedOperationException("streaming exec is not supported by this runtime");
  }

  /**
   * Connects to the standard streams of a running container's main process ({@code kubectl
   * attach}).
   */
  default StreamingProcess attach(
      String containerId, StreamingOptions options, ProcessOutput output) {
    throw new UnsupportedOperationException("attach is not supported by this runtime");
  }

  /**
   * Opens a TCP connection to {@code localhost:port} inside the network namespace of a running
   * sandbox ({@code kubectl port-forward}): stdin is sent to the port, what it answers is stdout.
   */
  default StreamingProcess portForward(String sandboxId, int port, ProcessOutput output) {
    throw new UnsupportedOperationException("port-forward is not supported by this runtime");
  }

  /**
   * Removes what the runtime keeps on the node for a pod incarnation (emptyDir volumes, logs).
   * Idempotent.
   */
  void removePodResources(PodKey pod, String podUid);

  /** The IP of this node as the runtime sees it (status.hostIP). */
  String hostIp();

  /**
   * Engine version, e.g. {@code 20.10.24}; throws {@link RuntimeUnavailableException} when the
   * engine does not answer.
   */
  String version();

  /**
   * Delivers engine events about managed containers until closed, on the runtime's own event thread
   * (or the caller's, for an in-memory runtime): the listener must only enqueue, never block or
   * call back into the runtime. Implementations reconnect by themselves after an engine restart and
   * may deliver an event twice; consumers are level-triggered.
   */
  AutoCloseable watch(Consumer<RuntimeEvent> listener);
}
