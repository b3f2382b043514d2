package io.staticlet.core.runtime;

import io.staticlet.core.pod.PodKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One container the engine reports with staticlet's (the kubelet's) labels: the actual state.
 * Everything here is read from the engine, never remembered, so it survives agent restarts.
 * Immutable.
 *
 * @param id engine container ID (full)
 * @param pod the pod it belongs to, from {@code io.kubernetes.pod.namespace/name}
 * @param podUid from {@code io.kubernetes.pod.uid}
 * @param name container name from {@code io.kubernetes.container.name} ({@code POD} for sandboxes)
 * @param role sandbox, init or app container
 * @param attempt sandbox attempt or container restart count (the {@code _<n>} of the Docker name)
 * @param sandboxId for init/app containers the sandbox they joined; empty for sandboxes
 * @param state engine state
 * @param exitCode exit code when {@link ContainerState#EXITED}, else 0
 * @param reason engine-side reason for the last exit: {@code OOMKilled}, {@code Error}, {@code
 *     Completed}, {@code ContainerCannotRun} or empty
 * @param message engine error message or termination message, or empty
 * @param createdAt creation time
 * @param startedAt last start, or {@code null} if never started; also {@code null} for a running
 *     sandbox, which the Docker adapter reads from the listing alone (no inspect): nothing shows or
 *     uses a sandbox's start
 * @param finishedAt last exit, or {@code null} if it has not exited
 * @param image image reference as given in the spec
 * @param imageId engine image ID ({@code sha256:...})
 * @param ip sandbox IP address ("" if none, or for non-sandboxes)
 * @param gracePeriod termination grace period recorded in the labels
 * @param preStop the preStop handler the runtime recorded when it created the container (decoded by
 *     the runtime), or empty
 * @param labels all engine labels, for anything else
 */
public record RuntimeContainer(
    String id,
    PodKey pod,
    String podUid,
    String name,
    ContainerRole role,
    int attempt,
    String sandboxId,
    ContainerState state,
    int exitCode,
    String reason,
    String message,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    String image,
    String imageId,
    String ip,
    Duration gracePeriod,
    Optional<LifecycleHandler> preStop,
    Map<String, String> labels) {
  public RuntimeContainer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pod, "pod");
    Objects.requireNonNull(podUid, "podUid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    sandboxId = sandboxId == null ? "" : sandboxId;
    reason = reason == null ? "" : reason;
    message = message == null ? "" : message;
    image = image == null ? "" : image;
    imageId = imageId == null ? "" : imageId;
    ip = ip == null ? "" : ip;
    gracePeriod = gracePeriod == null ? Duration.ofSeconds(30) : gracePeriod;
    preStop = preStop == null ? Optional.empty() : preStop;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  public boolean isRunning() {
    return state == ContainerState.RUNNING;
  }

  /**
   * The instance ran and ended, or the engine refused to run it (created, never started, with a
   * reason such as {@code ContainerCannotRun}): either way it is a dead instance.
   */
  public boolean hasTerminated() {
    return state == ContainerState.EXITED || (state == ContainerState.CREATED && !reason.isEmpty());
  }

  /**
   * Exit code as reported; an instance the engine could not run counts as failed even if the engine
   * said 0.
   */
  public int effectiveExitCode() {
    return state == ContainerState.CREATED && !reason.isEmpty() && exitCode == 0 ? 128 : exitCode;
  }

  public boolean isSandbox() {
    return role == ContainerRole.SANDBOX;
  }

  /** Short ID for log lines. */
  public String shortId() {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
