package io.staticlet.core.reconcile;

import io.staticlet.core.pod.PodKey;
import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.ContainerState;
import io.staticlet.core.runtime.RuntimeContainer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Observed instances for planner and GC tables: the pod {@code default/web-node1}, the UID given.
 */
final class Instances {
  static final PodKey WEB = new PodKey("default", "web-node1");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String SANDBOX_IP = "10.88.0.5";

  private final String uid;

  private Instances(String uid) {
    this.uid = uid;
  }

  static Instances ofUid(String uid) {
    return new Instances(uid);
  }

  RuntimeContainer sandbox(String id, int attempt, ContainerState state) {
    return instance(id, "POD", ContainerRole.SANDBOX, attempt, "", state, 0, "");
  }

  RuntimeContainer app(String id, int attempt, String sandboxId, ContainerState state) {
    return instance(id, "app", ContainerRole.APP, attempt, sandboxId, state, 0, "");
  }

  RuntimeContainer appExited(String id, int attempt, String sandboxId, int exitCode) {
    return appExited(id, "app", attempt, sandboxId, exitCode);
  }

  /** An app container of another name than {@code app}, for pods with several. */
  RuntimeContainer app(
      String id, String name, int attempt, String sandboxId, ContainerState state) {
    return instance(id, name, ContainerRole.APP, attempt, sandboxId, state, 0, "");
  }

  RuntimeContainer appExited(String id, String name, int attempt, String sandboxId, int exitCode) {
    return instance(
        id,
        name,
        ContainerRole.APP,
        attempt,
        sandboxId,
        ContainerState.EXITED,
        exitCode,
        exitCode == 0 ? "Completed" : "Error");
  }

  /** Created, but the engine refused to run it (exec format error, missing binary). */
  RuntimeContainer appCannotRun(String id, int attempt, String sandboxId) {
    return instance(
        id,
        "app",
        ContainerRole.APP,
        attempt,
        sandboxId,
        ContainerState.CREATED,
        127,
        "ContainerCannotRun");
  }

  RuntimeContainer init(String id, int attempt, String sandboxId, ContainerState state) {
    return instance(id, "init", ContainerRole.INIT, attempt, sandboxId, state, 0, "");
  }

  RuntimeContainer initExited(String id, int attempt, String sandboxId, int exitCode) {
    return instance(
        id,
        "init",
        ContainerRole.INIT,
        attempt,
        sandboxId,
        ContainerState.EXITED,
        exitCode,
        exitCode == 0 ? "Completed" : "Error");
  }

  private RuntimeContainer instance(
      String id,
      String name,
      ContainerRole role,
      int attempt,
      String sandboxId,
      ContainerState state,
      int exitCode,
      String reason) {
    Instant created = T0.plusSeconds(60L * attempt);
    Instant started = state == ContainerState.CREATED ? null : created.plusSeconds(1);
    Instant finished = state == ContainerState.EXITED ? created.plusSeconds(30) : null;
    return new RuntimeContainer(
        id,
        WEB,
        uid,
        name,
        role,
        attempt,
        sandboxId,
        state,
        exitCode,
        reason,
        "",
        created,
        started,
        finished,
        role == ContainerRole.SANDBOX ? "pause" : "busybox:1.36",
        "",
        role == ContainerRole.SANDBOX ? SANDBOX_IP : "",
        Duration.ofSeconds(30),
        Optional.empty(),
        Map.of());
  }
}
