package io.staticlet.core.reconcile;

import io.staticlet.core.runtime.ContainerRole;
import io.staticlet.core.runtime.RuntimeContainer;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The observed instances of one pod incarnation (one UID) and the questions the planner asks about
 * them: the latest sandbox, the latest instance of a container in a sandbox or anywhere, the next
 * restart count. Pure and immutable; any thread.
 */
final class PodInstances {
  /** Latest = highest attempt, then newest. */
  private static final Comparator<RuntimeContainer> AGE =
      Comparator.comparingInt(RuntimeContainer::attempt).thenComparing(RuntimeContainer::createdAt);

  private final List<RuntimeContainer> all;

  PodInstances(List<RuntimeContainer> instances) {
    this.all = List.copyOf(instances);
  }

  List<RuntimeContainer> all() {
    return all;
  }

  /** The latest sandbox, running or not. */
  Optional<RuntimeContainer> sandbox() {
    return all.stream().filter(RuntimeContainer::isSandbox).max(AGE);
  }

  /** Whether any init or app container was ever created for this incarnation. */
  boolean anyContainerCreated() {
    return all.stream().anyMatch(c -> !c.isSandbox());
  }

  /** Running init and app containers. */
  List<RuntimeContainer> runningContainers() {
    return all.stream().filter(c -> !c.isSandbox() && c.isRunning()).toList();
  }

  /** The latest instance of a container that joined {@code sandboxId}. */
  Optional<RuntimeContainer> latestIn(String sandboxId, ContainerRole role, String name) {
    return all.stream()
        .filter(c -> c.role() == role && c.name().equals(name) && c.sandboxId().equals(sandboxId))
        .max(AGE);
  }

  /** The latest instance of a container in any sandbox. */
  Optional<RuntimeContainer> latest(ContainerRole role, String name) {
    return all.stream().filter(c -> c.role() == role && c.name().equals(name)).max(AGE);
  }

  /** The restart count of a container's next instance: one more than its latest. */
  int nextAttempt(ContainerRole role, String name) {
    return latest(role, name).map(c -> c.attempt() + 1).orElse(0);
  }

  /** The instance exited, or the engine could not run it, with a non-zero (effective) exit code. */
  static boolean failed(RuntimeContainer c) {
    return c.hasTerminated() && c.effectiveExitCode() != 0;
  }
}
