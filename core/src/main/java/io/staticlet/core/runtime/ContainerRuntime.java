package io.staticlet.core.runtime;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.pod.StaticPod;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The container engine as core sees it. Implementations must be thread-safe; every method may
 * block on the engine. Failures are reported with the unchecked exceptions of this package:
 * {@link RuntimeUnavailableException} (transient), {@link ContainerNotFoundException} (already
 * gone), {@link ImagePullException} and {@link ContainerSpecRejectedException} (need a manifest change
 * or back-off).
 */
public interface ContainerRuntime {
  /** Every container and sandbox carrying staticlet's labels, running or not: the actual state. Never cached. */
  List<RuntimeContainer> listManaged();

  /** Managed containers of one pod (all UIDs). */
  default List<RuntimeContainer> listManaged(PodKey pod) {
    return listManaged().stream().filter(c -> c.pod().equals(pod)).toList();
  }

  /**
   * Makes sure {@code image} is present according to the Kubernetes pull policy
   * ({@code Always}, {@code IfNotPresent}, {@code Never}).
   *
   * @throws ImagePullException when the image is missing and cannot be pulled
   */
  void ensureImage(String image, String pullPolicy);

  /** Creates and starts the pod's sandbox with the given attempt number; returns its ID. */
  String startSandbox(StaticPod pod, int attempt);

  /**
   * Creates (does not start) an init or app container in a running sandbox; returns its ID. The
   * caller made the image present first ({@link #ensureImage}); a missing image is an {@link
   * ImagePullException}.
   */
  String createContainer(StaticPod pod, ContainerLaunch launch);

  void start(String containerId);

  /**
   * Stops a container: SIGTERM, then SIGKILL after {@code grace}. Idempotent: stopping a stopped or
   * missing container succeeds. Runs no hooks (core runs preStop first).
   */
  void stop(String containerId, Duration grace);

  /** Removes a stopped container. Idempotent: a missing container is not an error. */
  void remove(String containerId);

  /** Runs a command inside a running container and waits at most {@code timeout}. */
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
   * Starts {@code command} in a running container with its streams connected to the caller
   * ({@code kubectl exec}); the output goes to {@code output} until the process ends.
   */
  default StreamingProcess execStreaming(
      String containerId, List<String> command, StreamingOptions options, ProcessOutput output) {
    throw new UnsupportedOperationException("streaming exec is not supported by this runtime");
  }

  /** Connects to the standard streams of a running container's main process ({@code kubectl attach}). */
  default StreamingProcess attach(String containerId, StreamingOptions options, ProcessOutput output) {
    throw new UnsupportedOperationException("attach is not supported by this runtime");
  }

  /**
   * Opens a TCP connection to {@code localhost:port} inside the network namespace of a running
   * sandbox ({@code kubectl port-forward}): stdin is sent to the port, what it answers is stdout.
   */
  default StreamingProcess portForward(String sandboxId, int port, ProcessOutput output) {
    throw new UnsupportedOperationException("port-forward is not supported by this runtime");
  }

  /** Removes what the runtime keeps on the node for a pod incarnation (emptyDir volumes, logs). Idempotent. */
  void removePodResources(PodKey pod, String podUid);

  /** The IP of this node as the runtime sees it (status.hostIP). */
  String hostIp();

  /** Engine version, e.g. {@code 20.10.24}; throws {@link RuntimeUnavailableException} when the engine does not answer. */
  String version();

  /**
   * Delivers engine events about managed containers until closed. The listener must only enqueue.
   * Implementations reconnect by themselves after an engine restart.
   */
  AutoCloseable watch(Consumer<RuntimeEvent> listener);
}
